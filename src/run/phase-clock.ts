// Where a run's time went, kept in its folder as phases.json: when it had planned, started its first shard, saw the
// last one end and finished (ms since the process started), and each step after the shards. Read by bench/realistic
// and by anyone asking why a run took what it took; nothing in xtest reads it back.
import path from 'node:path'
import type { StepTime } from '../finish/compose.js'
import { writeStored } from '../store/files.js'

export class PhaseClock {
  private readonly at: Record<string, number> = {}

  /** The first time a phase is reached counts (every shard start calls it for `firstShardStarted`). */
  mark(phase: string): void {
    this.at[phase] ??= Math.round(performance.now())
  }

  /** A record that cannot be written costs nothing: it explains a run, it is not part of its result. */
  write(runDir: string, steps: readonly StepTime[]): void {
    try {
      writeStored(path.join(runDir, 'phases.json'), `${JSON.stringify({ sinceProcessStart: this.at, steps }, null, 1)}\n`)
    } catch {
      /* see above */
    }
  }
}
