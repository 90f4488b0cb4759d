// Shards run at most `concurrency` at once, fast tiers first, and stop starting on bail or Ctrl-C.

import { mapInPool } from '../core/pool.js'
import type { ShardSpec } from '../core/shard.js'
import { notStartedOutcome, type ShardOutcome } from '../core/shard.js'

export interface ScheduleOptions {
  concurrency: number
  bail: boolean
  /** Aborted by Ctrl-C / SIGTERM (reason 'interrupted'). */
  signal: AbortSignal
  runShard(spec: ShardSpec, signal: AbortSignal): Promise<ShardOutcome>
  /** Whether an outcome counts as a failure for --bail (decided by the caller, who can read its JUnit). */
  isFailure(outcome: ShardOutcome): boolean
  onStart?(spec: ShardSpec): void
  onEnd?(outcome: ShardOutcome): void
}

/**
 * Runs shards in the given order (fast before slow before superslow), at most `concurrency` at
 * once. With bail, the first failure stops the running shards and starts nothing new. Shards that
 * never started still get an outcome, so the report can account for every planned file.
 */
export async function scheduleShards(specs: ShardSpec[], options: ScheduleOptions): Promise<ShardOutcome[]> {
  const stop = new AbortController()
  const forward = () => stop.abort('interrupted')
  if (options.signal.aborted) forward()
  else options.signal.addEventListener('abort', forward, { once: true })
  const outcomes = await mapInPool(specs, options.concurrency, async (spec) => {
    if (stop.signal.aborted) return notStarted(spec, stop.signal.reason === 'bail' ? 'bail' : 'interrupted')
    options.onStart?.(spec)
    const outcome = await options.runShard(spec, stop.signal)
    options.onEnd?.(outcome)
    if (options.bail && !stop.signal.aborted && options.isFailure(outcome)) stop.abort('bail')
    return outcome
  })
  options.signal.removeEventListener('abort', forward)
  return outcomes
}

export function notStarted(spec: ShardSpec, why: 'bail' | 'interrupted' | 'infra', cause?: string): ShardOutcome {
  const fallback = why === 'bail' ? 'not started: --bail after an earlier failure' : 'not started: run interrupted'
  return notStartedOutcome(spec, why, cause ?? fallback, new Date(), spec.shardDir)
}
