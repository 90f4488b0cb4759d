// The finish stage: after the merge, the steps `xtest run`, `xtest merge`, run() and merge() all take, in order. To add
// a step (a badge, coverage): write its module in steps/ and put it in STEPS; a new option goes in request.ts.
import type { DriftEntry } from '../plan/drift.js'
import type { Merged, RunSummary } from '../report/index.js'
import { takeWriteFaults, type WriteFault } from '../shared/write-faults.js'
import type { FinishHooks, FinishRequest } from './request.js'
import { annotate } from './steps/annotate.js'
import { mergeCoverage } from './steps/coverage.js'
import { pickExitCode } from './steps/exit-code.js'
import { recordHistory } from './steps/history.js'
import { writeHtml } from './steps/html.js'
import { prune } from './steps/prune.js'
import { warnQuarantine } from './steps/quarantine.js'
import { storeResults } from './steps/store-results.js'
import { writeSummaries } from './steps/summaries.js'
import { recordTimings } from './steps/timings.js'

/** What every step sees: the request, what the merge made, the hooks, and what the steps before it found. */
export interface Finishing extends Merged {
  request: FinishRequest
  hooks: FinishHooks
  /** Files xtest could not write, before the finish (the run's, the merged report's) and during it. */
  faults: WriteFault[]
  /** The disk refused a file before the finish: timings.json and the page would only repeat that line. */
  refused: boolean
  done: FinishedRun
}

export interface FinishedRun {
  summary: RunSummary
  /** 0 ok, 1 tests failed, 3 infrastructure (a file not written), 130 interrupted. */
  exitCode: number
  /** `xtest run`: files whose recorded time no longer fits their tier. */
  drift: DriftEntry[]
  /** The page written (`xtest run`: the stable `<outputDir>/report.html`). */
  html?: string
  /** How long each step took (ms), in order: where the time after the shards goes. */
  steps: StepTime[]
}

export interface StepTime {
  step: string
  ms: number
}

type FinishStep = (finishing: Finishing) => void | Promise<void>

/** In order: each step may use what the ones before it found (the flaky tests in the summary, the drift on the page).
 * The keys name the steps in phases.json (a bundler may rename the functions). */
const STEPS: Readonly<Record<string, FinishStep>> = {
  storeResults,
  recordTimings,
  recordHistory,
  warnQuarantine,
  mergeCoverage,
  writeSummaries,
  annotate,
  writeHtml,
  prune,
  pickExitCode,
}

/** Runs every step over what the merge made; returns the summary, the exit code and what the steps found. */
export async function finish(request: FinishRequest, merged: Merged, hooks: FinishHooks): Promise<FinishedRun> {
  const faults = takeWriteFaults()
  const done: FinishedRun = { summary: merged.summary, exitCode: 0, drift: [], steps: [] }
  const finishing: Finishing = { ...merged, request, hooks, faults, refused: faults.length > 0, done }
  for (const [name, step] of Object.entries(STEPS)) {
    const started = performance.now()
    await step(finishing)
    done.steps.push({ step: name, ms: Math.round(performance.now() - started) })
  }
  return done
}
