// A shard's vocabulary shared by every stage: what run/ asks a runtime to run (ShardSpec), what the runtime reports
// (ShardOutcome) and the closed set of verdicts the report gives it (ShardStatus). Runtimes write outcomes; the report
// reads them; neither imports the other.

import type { RuntimeName } from './runtimes.js'
import type { Tier } from './tiers.js'

/** A shard's id, `<container>.<tier>[.<slice>]`: its folder name under the run, and what plans and logs call it. */
export const shardId = (container: string, tier: string, slice?: number): string =>
  slice === undefined ? `${container}.${tier}` : `${container}.${tier}.${slice}`

/** Which shard: the (container, tier[, slice]) it runs and its id, as every stage from plan to report names it. */
export interface ShardIdentity {
  /** `shardId(container, tier, slice)`; also the run-folder name. */
  id: string
  container: string
  tier: Tier
  /** Set by slicing: this slice's number (1-based). */
  slice?: number
}

/** Everything a runtime needs to run one shard. Paths are host paths unless named otherwise. */
export interface ShardSpec extends ShardIdentity {
  runId: string
  /** Test files, POSIX, relative to the config root. */
  files: string[]
  /** Host directory of the config (the plan root). */
  root: string
  /** Host path of the outermost git repository (mounted at /app in Docker). */
  repoRoot: string
  /** Working directory relative to the config root (container `workdir`). */
  workdir: string
  /** Host path of `.xtest/runs/<run-id>/<shard-id>/`: written by the host only, never mounted into a shard. */
  shardDir: string
  /**
   * How a container sees the repo (docker only): read-only or not, writable folders, the output folder to hide,
   * paths that stay read-only inside writable folders, folders replaced by a scratch folder of the shard's own.
   */
  mounts: { readOnly: boolean; writable: string[]; outputDir: string; protect?: string[]; scratch?: string[] }
  /** Shard timeout from the tier, in ms. */
  timeoutMs: number
  /** The container's `vitestConfig` (relative to `root`), when it names one; otherwise Vitest's own lookup in the workdir. */
  vitestConfig?: string
  /** Extra arguments for Vitest (after `--` on the command line). */
  vitestArgs: string[]
  /** Collect coverage: raw JSON into the shard's own output folder, merged by the host. */
  coverage?: boolean
  /** Environment the config asks for (already filtered); XTEST_* are added by the runtime. */
  env: Record<string, string>
  /** Most bytes the shard may write into its results folder; past it the runtime stops it. */
  outputLimitBytes?: number
  /** CPU limit of the shard's container: the container's `cpus`, else its share of the cores at this concurrency. */
  cpus?: number
}

/** Why a shard left no usable report, from Vitest's own output: a class, Vitest's error lines (cleaned), a hint. */
export interface ShardDiagnosis {
  kind: 'unknown-option' | 'config-error' | 'version-mismatch' | 'read-only-write' | 'missing-module' | 'out-of-memory' | 'killed' | 'error'
  lines: string[]
  hint?: string
}

/** What happened to the process, before anyone looks at its JUnit. The report decides the status. */
export interface ShardOutcome extends ShardIdentity {
  files: string[]
  runtime: RuntimeName
  image?: string
  imageId?: string
  /** Local runtime: the host's Node version that ran the shard. */
  hostNode?: string
  /** Set when the config names an image but `--runtime auto` ran the shard on the host: that image and why. */
  fellBack?: { image: string; reason: string }
  command: string[]
  startedAt: string
  endedAt: string
  durationMs: number
  /** Process or container exit code; null when it never started or was killed by a signal we could not read. */
  exitCode: number | null
  signal?: string | null
  /** Set when xtest itself ended the shard or the engine did. */
  ended?: 'timeout' | 'interrupted' | 'bail' | 'oom' | 'infra' | 'output-limit'
  /** One line: why the shard failed outside its tests (engine error, OOM limit, timeout budget, what Vitest printed). */
  cause?: string
  /** When it left no report: what its log says went wrong (shared/shard-diagnosis.ts). */
  diagnosis?: ShardDiagnosis
  /** Host paths. */
  junitPath: string
  logPath: string
}

/** The outcome of a shard that never started (bail, Ctrl-C, an image that failed, a shard a merge never heard of). */
export function notStartedOutcome(
  shard: ShardIdentity & { files: string[] },
  ended: 'bail' | 'interrupted' | 'infra',
  cause: string,
  at: Date,
  dir?: string,
): ShardOutcome {
  const { id, container, tier, slice, files } = shard
  const when = at.toISOString()
  const paths = { junitPath: dir ? `${dir}/junit.xml` : '', logPath: dir ? `${dir}/output.log` : '' }
  const outcome: ShardOutcome = {
    id,
    container,
    tier,
    files,
    runtime: 'local',
    command: [],
    startedAt: when,
    endedAt: when,
    durationMs: 0,
    exitCode: null,
    ended,
    cause,
    ...paths,
  }
  if (slice !== undefined) outcome.slice = slice
  return outcome
}

/** The closed set of shard verdicts: every shard ends in exactly one (README, "Exit codes"; docs/internals.md). */
export const SHARD_STATUSES = [
  'passed',
  'failed',
  'flaky',
  'timeout',
  'oom',
  'killed',
  'infra',
  'interrupted',
  'report-malformed',
  'no-tests',
] as const
export type ShardStatus = (typeof SHARD_STATUSES)[number]
