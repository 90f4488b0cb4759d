// Finish step: the merged report's durations (from memory, never the file read back) into timings.json; `xtest run`
// then says which files drifted out of their tier, `xtest merge` how many files it recorded.
import path from 'node:path'
import { describeDrift, findDrift } from '../../plan/drift.js'
import { recordReportTimings } from '../../run/record-timings.js'
import { plural } from '../../shared/plural.js'
import { loadTimings } from '../../store/timings.js'
import type { Finishing } from '../compose.js'

export async function recordTimings({ request: { timings, run }, report, hooks, refused, done }: Finishing): Promise<void> {
  // A disk that refused the report would refuse timings.json too: no more lines about the same cause.
  if (refused) return
  const recorded = timings ? await recordReportTimings(report, timings.file, hooks.warn, timings.part) : undefined
  const where = timings && (path.relative(process.cwd(), timings.file) || timings.file)
  if (recorded && !run) hooks.notice(`recorded the durations of ${plural(recorded.recorded, 'file')} in ${where}`)
  if (!run) return
  // A folded `--shard` split wrote every part's samples: only then is the file read back.
  const current = recorded?.timings ?? (recorded && recorded.recorded > 0 ? loadTimings(timings!.file, hooks.warn) : run.plannedTimings)
  done.drift = findDrift(run.shards, current)
  const line = recorded && describeDrift(done.drift)
  if (line) hooks.notice(line)
}
