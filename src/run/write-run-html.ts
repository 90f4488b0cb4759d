// report.html for a run: in the run folder and at the stable `<outputDir>/report.html`, with the drift the run
// found and the last log lines of each shard that failed. A page that cannot be written costs a warning, never
// the run's exit code.
import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import type { DriftEntry } from '../plan/drift.js'
import { readLogTail, writeHtmlReport, type RunSummary } from '../report/index.js'
import type { RunResult } from './run-plan.js'

const TAIL_LINES = 30
const TAIL_BYTES = 16 * 1024

/** Writes both copies; returns the stable path, or undefined when writing failed (after a warning). */
export async function writeRunHtml(
  summary: RunSummary,
  drift: readonly DriftEntry[],
  config: ResolvedConfig,
  result: RunResult,
  warn: (line: string) => void,
): Promise<string | undefined> {
  const stable = path.resolve(config.root, config.outputDir, 'report.html')
  try {
    // output.log is written by the host only (the run folder is never mounted into a shard).
    const logTails = new Map<string, string>()
    for (const shard of summary.shards) {
      if (shard.counts.failed + shard.counts.errors === 0) continue
      const outcome = result.outcomes.find((each) => each.id === shard.id)
      const tail = outcome?.logPath ? await readLogTail(outcome.logPath, TAIL_LINES, TAIL_BYTES) : undefined
      if (tail) logTails.set(shard.id, tail.text)
    }
    await writeHtmlReport([path.join(result.folder.dir, 'report.html'), stable], {
      junitPath: summary.outPath,
      summary,
      title: `xtest run ${result.folder.runId}`,
      drift,
      logTails,
      sourceRoot: config.root,
    })
    return stable
  } catch (error) {
    warn(`could not write the HTML report: ${error instanceof Error ? error.message : String(error)}`)
    return undefined
  }
}
