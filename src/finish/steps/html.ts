// Finish step: report.html from the merged report in memory (never the merged file read back), with the drift and,
// for a run, the last log lines of each shard that failed. `xtest run`'s page costs a warning when it cannot be
// written; a page asked for with `--html` is a file not written (exit 3 unless tests failed).
import path from 'node:path'
import { readLogTail, writeHtmlReport } from '../../report/index.js'
import { noteWriteFault, takeWriteFaults } from '../../shared/write-faults.js'
import type { Finishing } from '../compose.js'

export async function writeHtml({ request, report, summary, hooks, refused, faults, done }: Finishing): Promise<void> {
  const { htmlPaths, run } = request
  if (htmlPaths.length === 0 || refused) return
  try {
    // The last 30 lines of output.log, written by the host only (the run folder is never mounted into a shard).
    const logTails = new Map<string, string>()
    for (const shard of run ? summary.shards : []) {
      if (shard.counts.failed + shard.counts.errors === 0) continue
      const outcome = run!.result.outcomes.find((each) => each.id === shard.id)
      const tail = outcome?.logPath ? await readLogTail(outcome.logPath, 30, 16 * 1024) : undefined
      if (tail) logTails.set(shard.id, tail.text)
    }
    const { title, root: sourceRoot } = request
    await writeHtmlReport(htmlPaths, { junitPath: summary.outPath, report, summary, title, drift: done.drift, logTails, sourceRoot })
    done.html = htmlPaths.at(-1)!
    if (run) hooks.notice(`HTML report ${path.relative(process.cwd(), done.html) || done.html}`)
  } catch (error) {
    if (run) return hooks.warn(`could not write the HTML report: ${error instanceof Error ? error.message : String(error)}`)
    noteWriteFault(path.resolve(htmlPaths[0]!), error)
    faults.push(...takeWriteFaults())
  }
}
