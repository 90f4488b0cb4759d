// The runtime interface: what run/ calls to run one shard or one `xtest exec` command (docker.ts, local.ts), whatever the backend.
import type { Readable, Writable } from 'node:stream'
import type { RuntimeName } from '../core/runtimes.js'
import type { ShardOutcome, ShardSpec } from '../core/shard.js'

/** What a runtime tells its caller while a shard runs. */
export interface ShardHooks {
  /**
   * The host path where the shard's progress.ndjson appears while it runs: inside its exchange folder, written by
   * the shard (untrusted: read it as data, never following a link), gone once the shard has ended.
   */
  onProgressFile?(progressPath: string): void
}

/** One command of `xtest exec`: an argv array (never a shell line) with a shard's mounts, user, limits and environment. */
export interface ExecRequest extends Pick<ShardSpec, 'container' | 'root' | 'repoRoot' | 'runId'>, Partial<Pick<ShardSpec, 'mounts'>> {
  argv: string[]
  /** The command's working directory (a host path). */
  cwd: string
  /** The container's `env` (`true`: the host's value, on the host only). */
  env: Record<string, string | true>
  /** Written to, never ended. */
  stdout: Writable
  stderr: Writable
  stdin?: Readable
  /** Told how to remove the container as soon as it exists, so that a second signal can remove it at once. */
  onContainer?(remove: () => Promise<void>): void
}

export interface Runtime {
  readonly name: RuntimeName
  /** Runs one shard to the end. Never rejects for a test or process failure: that is data in the outcome. */
  runShard(spec: ShardSpec, signal: AbortSignal, hooks?: ShardHooks): Promise<ShardOutcome>
  /**
   * Runs one command with the caller's streams; resolves its exit code, 130 once `signal` aborts it (SIGTERM,
   * SIGKILL 3 s later). A fault of the runtime rejects with an InfraError.
   */
  exec(request: ExecRequest, signal: AbortSignal): Promise<number>
}
