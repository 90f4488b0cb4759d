// Containers of runs whose owner died are removed at the next run, so a crash never leaves them running for good.
import type { EngineClient } from '../runtimes/engine-client.js'
import { withTimeout } from '../shared/with-timeout.js'
import { cleanLeftovers } from './clean.js'

/**
 * Before a run: removes the containers of this repository's runs whose owner is proven dead (killed with -9,
 * crashed), on every engine the run uses. Other repositories' containers, and any whose owner may live (another
 * host, boot or pid namespace), are left alone. Never fails the run: a sweep that cannot finish is skipped.
 */
export async function sweepDeadRuns(engines: EngineClient[], repoRoot: string, onNotice?: (line: string) => void): Promise<number> {
  let removed = 0
  for (const engine of new Set(engines)) {
    try {
      removed += (await withTimeout(cleanLeftovers(engine, { repoRoot }), 15_000, 'sweep timed out')).length
    } catch (error) {
      onNotice?.(`could not sweep leftovers of dead runs: ${(error as Error).message}`)
    }
  }
  if (removed > 0) onNotice?.(`removed ${removed} container${removed === 1 ? '' : 's'} left by dead xtest runs`)
  return removed
}
