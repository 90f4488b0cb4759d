// The runtime interface: what run/ calls to run one shard (docker.ts, local.ts), whatever the backend.
import type { ShardOutcome, ShardSpec } from '../core/shard.js'
import type { RuntimeName } from '../core/runtimes.js'

/** What a runtime tells its caller while a shard runs. */
export interface ShardHooks {
  /**
   * The host path where the shard's progress.ndjson appears while it runs: inside its exchange folder, written by
   * the shard (untrusted: read it as data, never following a link), gone once the shard has ended.
   */
  onProgressFile?(progressPath: string): void
}

export interface Runtime {
  readonly name: RuntimeName
  /** Runs one shard to the end. Never rejects for a test or process failure: that is data in the outcome. */
  runShard(spec: ShardSpec, signal: AbortSignal, hooks?: ShardHooks): Promise<ShardOutcome>
}
