// The end of every run, also after a failure or Ctrl-C: merge the shards' JUnit into one report, store the passing
// files in the result cache, record timings (from the merged report in memory) and the flaky history, write the
// Markdown summary and report.html, prune old run folders, and decide the exit code. Prints nothing: its lines go
// to `notice`/`warn`, so a library caller (run/facade.ts) gets the same result as `xtest run`.
import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import { describeDrift, findDrift, type DriftEntry } from '../plan/drift.js'
import { emptyTimings, type Timings } from '../store/timings.js'
import type { Plan } from '../plan/types.js'
import { exitCodeFor, formatSummaryMarkdown, mergeRun, type RunSummary } from '../report/index.js'
import { pruneAfterRun } from '../store/prune-runs.js'
import type { RunResult } from './run-plan.js'
import { loadTimings, timingsPathOf } from '../store/timings.js'
import { ExitCode } from '../core/exit-codes.js'
import { formatWriteFaults, isFsError, noteWriteFault, takeWriteFaults } from '../shared/write-faults.js'
import { recordReportTimings } from './record-timings.js'
import { writeOutput } from '../shared/write-output.js'
import { writeRunHtml } from './write-run-html.js'
import type { ResultCache } from './cache/result-cache.js'
import { storeResults } from './cache/store-results.js'
import type { JUnitReport } from '../report/index.js'
import type { RunExtras } from './run-extras.js'
import { runCoverage } from './run-coverage.js'

export interface FinishRunInput {
  config: ResolvedConfig
  plan: Plan
  result: RunResult
  env: NodeJS.ProcessEnv
  junit?: string
  summary?: string
  interrupted: boolean
  /** A line for the person running xtest (the CLI prints `xtest: <line>` on stderr). */
  notice(line: string): void
  warn(line: string): void
  /** After the merge, before the summary files are written: the CLI prints the summary here. */
  onSummary?(summary: RunSummary): void | Promise<void>
  /** The timings the run was planned with; the drift line compares against the ones this run records. */
  timings?: Timings
  /** Plan hash and part properties, quarantine, flaky history (run-extras.ts). */
  extras?: RunExtras
  /** The result cache: the files that passed are stored after the merge. */
  cache?: ResultCache
  /** Merge the shards' coverage (run-coverage.ts); its thresholds fail the run. */
  coverage?: boolean
}

export interface FinishedRun {
  summary: RunSummary
  exitCode: number
  /** Files whose recorded time no longer fits their tier. */
  drift: DriftEntry[]
  /** The stable report.html, when it was written. */
  html?: string
}

/** Merges the shards' JUnit, writes the summaries, records what the run learnt; returns the summary and exit code. */
export async function finishRun(input: FinishRunInput): Promise<FinishedRun> {
  const { config, result, notice, warn } = input
  const junitPath = path.resolve(input.junit ?? path.join(config.root, config.outputDir, 'junit.xml'))
  let merged: JUnitReport | undefined
  const summary = await mergeRun({
    runId: result.folder.runId,
    // One outcome per shard: schedule.ts gives each shard that never started its outcome (the one owner of that).
    outcomes: result.outcomes,
    workdirs: Object.fromEntries(Object.entries(config.containers).map(([name, c]) => [name, c.workdir])),
    outPath: path.join(result.folder.dir, 'junit.xml'),
    copyTo: [junitPath],
    ...input.extras?.report,
    cached: result.cached,
    ...(input.extras?.carried && { carried: input.extras.carried }),
    ...(input.extras?.aimed && { aimed: input.extras.aimed }),
    onReport: (report) => {
      merged = report
      input.extras?.report.onReport?.(report)
    },
  })
  if (merged && input.cache && !input.interrupted)
    storeResults(input.cache, { runId: result.folder.runId, report: merged, specs: result.specs, outcomes: result.outcomes })
  const corrupt = input.cache?.corruptionWarning()
  if (corrupt) warn(corrupt)
  await input.extras?.after(summary)
  if (input.coverage) {
    const coverage = await runCoverage(config, result, warn)
    if (coverage) summary.coverage = coverage
  }
  await input.onSummary?.(summary)
  await writeSummaries(summary, input)
  const faults = takeWriteFaults()
  const lost = faults.some((fault) => fault.file === junitPath)
  const where = lost ? 'not written (see below)' : path.relative(process.cwd(), junitPath) || junitPath
  notice(`merged report ${where} (run folder ${path.relative(process.cwd(), result.folder.dir)})`)
  const finished: FinishedRun = { summary, exitCode: ExitCode.ok, drift: [] }
  // A disk that refused the report would refuse timings.json and the HTML too: no more lines about the same cause.
  if (faults.length === 0) {
    finished.drift = await updateTimings(merged, input)
    const html = await writeRunHtml(summary, finished.drift, config, result, warn)
    if (html) {
      finished.html = html
      notice(`HTML report ${path.relative(process.cwd(), html) || html}`)
    }
  }
  for (const line of formatWriteFaults(faults)) notice(line)
  pruneAfterRun(config, result.folder.runId, warn)
  if (result.configError && !input.interrupted) throw result.configError
  const code = exitCodeFor(summary) || (summary.coverage?.failures.length ? ExitCode.testsFailed : ExitCode.ok)
  // A file xtest could not write (a full disk) is an infrastructure error, unless the tests already failed the run.
  finished.exitCode = input.interrupted ? ExitCode.interrupted : faults.length > 0 && code === ExitCode.ok ? ExitCode.infra : code
  return finished
}

// Markdown for --summary and GitHub's step summary.
async function writeSummaries(summary: RunSummary, { env, summary: summaryFile }: FinishRunInput): Promise<void> {
  const markdown = summaryFile || env.GITHUB_STEP_SUMMARY ? formatSummaryMarkdown(summary) : ''
  if (summaryFile) await writeOrNote(summaryFile, () => writeOutput(path.resolve(summaryFile), markdown))
  const step = env.GITHUB_STEP_SUMMARY
  if (step) await writeOrNote(step, () => writeOutput(path.resolve(step), markdown, { append: true }))
}

async function writeOrNote(file: string, write: () => Promise<void>): Promise<void> {
  try {
    await write()
  } catch (error) {
    if (!isFsError(error)) throw error
    noteWriteFault(path.resolve(file), error)
  }
}

// Records this run's file durations (from the merged report in memory) in timings.json, then says on stderr whether
// some files drifted out of their tier.
async function updateTimings(merged: JUnitReport | undefined, input: FinishRunInput): Promise<DriftEntry[]> {
  const { config, plan, timings, warn } = input
  const file = timingsPathOf(config)
  if (input.extras?.recordTimings === false || merged === undefined) return findDrift(plan.shards, timings ?? emptyTimings())
  const recorded = await recordReportTimings(merged, file, warn, input.extras?.part)
  // A folded `--shard` split wrote every part's samples: only then is the file read back.
  const current = recorded.timings ?? (recorded.recorded > 0 ? loadTimings(file, warn) : (timings ?? emptyTimings()))
  const found = findDrift(plan.shards, current)
  const drift = describeDrift(found)
  if (drift) input.notice(drift)
  return found
}
