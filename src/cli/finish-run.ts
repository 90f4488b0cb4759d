import fs from 'node:fs'
import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import { describeDrift, findDrift, type DriftEntry } from '../plan/drift.js'
import { emptyTimings, type Timings } from '../plan/timings.js'
import type { Plan } from '../plan/types.js'
import { exitCodeFor, formatAnnotations, formatSummaryMarkdown, formatSummaryText, mergeRun, type RunSummary } from '../report/index.js'
import { pruneAfterRun } from '../run/prune-runs.js'
import type { RunResult } from '../run/run-plan.js'
import { loadTimings, timingsPathOf } from '../plan/io/timings-store.js'
import { ExitCode } from '../core/exit-codes.js'
import type { Output } from '../shared/output.js'
import { formatWriteFaults, isFsError, noteWriteFault, takeWriteFaults } from '../shared/write-faults.js'
import { recordReportTimings } from './record-timings.js'
import { writeRunHtml } from './write-run-html.js'
import type { ResultCache } from '../run/cache/result-cache.js'
import { storeResults } from '../run/cache/store-results.js'
import type { JUnitReport } from '../report/index.js'
import type { RunExtras } from './run-extras.js'

export interface FinishRunInput {
  config: ResolvedConfig
  plan: Plan
  result: RunResult
  out: Output
  env: NodeJS.ProcessEnv
  junit?: string
  summary?: string
  interrupted: boolean
  /** The timings the run was planned with; the drift line compares against the ones this run records. */
  timings?: Timings
  /** Plan hash and part properties, quarantine, flaky history (run-extras.ts). */
  extras?: RunExtras
  /** The result cache: the files that passed are stored after the merge. */
  cache?: ResultCache
}

/** Merges the shards' JUnit (always, also after a failure or Ctrl-C), writes the summaries, returns the exit code. */
export async function finishRun(input: FinishRunInput): Promise<number> {
  const { config, result, out } = input
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
    onReport: (report) => { merged = report; input.extras?.report.onReport?.(report) },
  })
  if (merged && input.cache && !input.interrupted) storeResults(input.cache, { runId: result.folder.runId, report: merged, specs: result.specs, outcomes: result.outcomes })
  const corrupt = input.cache?.corruptionWarning()
  if (corrupt) out.stderr.write(`xtest: warning: ${corrupt}\n`)
  await input.extras?.after(summary)
  out.stdout.write(`${formatSummaryText(summary)}\n`)
  writeSummaries(summary, input)
  const faults = takeWriteFaults()
  const lost = faults.some((fault) => fault.file === junitPath)
  const where = lost ? 'not written (see below)' : path.relative(process.cwd(), junitPath) || junitPath
  out.stderr.write(`xtest: merged report ${where} (run folder ${path.relative(process.cwd(), result.folder.dir)})\n`)
  // A disk that refused the report would refuse timings.json and the HTML too: no more lines about the same cause.
  if (faults.length === 0) {
    const drift = await updateTimings(merged, input)
    const html = await writeRunHtml(summary, drift, config, result, out)
    if (html) out.stderr.write(`xtest: HTML report ${path.relative(process.cwd(), html) || html}\n`)
  }
  for (const line of formatWriteFaults(faults)) out.stderr.write(`xtest: ${line}\n`)
  pruneAfterRun(config, result.folder.runId, (line) => out.stderr.write(`xtest: warning: ${line}\n`))
  if (input.interrupted) return ExitCode.interrupted
  if (result.configError) throw result.configError
  const code = exitCodeFor(summary)
  // A file xtest could not write (a full disk) is an infrastructure error, unless the tests already failed the run.
  return faults.length > 0 && code === ExitCode.ok ? ExitCode.infra : code
}

// Markdown for --summary and GitHub's step summary; ::error annotations when running under GitHub Actions.
function writeSummaries(summary: RunSummary, { config, out, env, summary: summaryFile }: FinishRunInput): void {
  const markdown = summaryFile || env.GITHUB_STEP_SUMMARY ? formatSummaryMarkdown(summary) : ''
  if (summaryFile) writeOrNote(summaryFile, () => fs.writeFileSync(summaryFile, markdown))
  if (env.GITHUB_STEP_SUMMARY) writeOrNote(env.GITHUB_STEP_SUMMARY, () => fs.appendFileSync(env.GITHUB_STEP_SUMMARY!, markdown))
  if (env.GITHUB_ACTIONS === 'true') {
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
    const prefix = path.relative(workspace, config.root).split(path.sep).join('/')
    const annotations = formatAnnotations(summary, { pathPrefix: prefix })
    if (annotations) out.stdout.write(`${annotations}\n`)
  }
}

function writeOrNote(file: string, write: () => void): void {
  try {
    write()
  } catch (error) {
    if (!isFsError(error)) throw error
    noteWriteFault(path.resolve(file), error)
  }
}

// Records this run's file durations (from the merged report in memory) in timings.json, then says on stderr whether
// some files drifted out of their tier.
async function updateTimings(merged: JUnitReport | undefined, input: FinishRunInput): Promise<DriftEntry[]> {
  const { config, plan, out, timings } = input
  const warn = (line: string) => out.stderr.write(`xtest: warning: ${line}\n`)
  const file = timingsPathOf(config)
  if (input.extras?.recordTimings === false || merged === undefined) return findDrift(plan.shards, timings ?? emptyTimings())
  const recorded = await recordReportTimings(merged, file, warn, input.extras?.part)
  // A folded `--shard` split wrote every part's samples: only then is the file read back.
  const current = recorded.timings ?? (recorded.recorded > 0 ? loadTimings(file, warn) : (timings ?? emptyTimings()))
  const found = findDrift(plan.shards, current)
  const drift = describeDrift(found)
  if (drift) out.stderr.write(`xtest: ${drift}\n`)
  return found
}
