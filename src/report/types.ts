// The report side's vocabulary (reads, summaries, limits), shared by the readers, the merge and the summaries.

import type { Counts, JUnitReport } from '../core/junit-report.js'
import { MAX_TEXT_BYTES } from '../core/junit-write.js'
import type { Result } from '../core/result.js'
import type { ResultCell } from '../core/result-key.js'
import type { ShardIdentity, ShardStatus } from '../core/shard.js'
import type { MergedCoverage } from './coverage/merge-coverage.js'
import type { TimelineLayout } from './timeline.js'
import type { HostFallback } from './where-ran.js'

/**
 * Counts with the tests salvaged from a crashed shard apart (never passed): `passed + … + (unverified ?? 0) = tests`;
 * xtest's own cases (a crashed shard, a file without a result) are no tests: `shardErrors`, not in `tests`.
 */
export type Totals = Counts & { unverified?: number; shardErrors?: number }

export type { CaseResult, Counts, Fault, JUnitReport, ReportCase, ReportProperty, ReportSuite } from '../core/junit-report.js'

/** Why a JUnit file could not be used. Every kind becomes `report-malformed` for a shard. */
export type ReadProblemKind = 'missing' | 'empty' | 'too-large' | 'unreadable' | 'doctype' | 'not-well-formed' | 'not-junit'

/** A read JUnit file and notes on what was ignored in it, or why it could not be used. */
export type ReadResult = Result<{ report: JUnitReport; notes: string[] }, ReadProblemKind>

/** Size limits of the report side. */
export interface ReportLimits {
  /** A JUnit file larger than this is not read (`too-large`). */
  maxInputBytes: number
  /** Cap of one text element or attribute (UTF-8 bytes); longer text keeps its head and tail around a marker. */
  maxTextBytes: number
  /** Lines of `output.log` put into a synthetic case. */
  logTailLines: number
}

export const DEFAULT_LIMITS: ReportLimits = {
  maxInputBytes: 64 * 1024 * 1024,
  maxTextBytes: MAX_TEXT_BYTES,
  logTailLines: 200,
}

/** Kinds of synthetic cases: the error `type` is `xtest.<kind>`. */
export type SyntheticKind =
  | 'shard_crashed'
  | 'timeout'
  | 'oom'
  | 'interrupted'
  | 'infra'
  | 'report_malformed'
  | 'exit_mismatch'
  | 'not_reported'
  | 'part_missing'
  | 'not_rerun'

/** One shard's verdict, as decided by the report side. */
export interface ShardSummary extends ShardIdentity {
  status: ShardStatus
  exitCode: number | null
  signal?: string
  /** One line, set when the shard failed outside its tests. */
  cause?: string
  durationMs: number
  counts: Counts
  /** Planned files with no result in the shard's JUnit (each got a synthetic case). */
  unreportedFiles: string[]
}

/** One row of the end-of-run table: container × tier, over all slices. */
export interface SummaryRow {
  container: string
  tier: string
  statuses: ShardStatus[]
  counts: Totals
  /** Sum of its shards' run time (the `duration_ms` property), when known. */
  shardMs?: number
  /** Failing cases of the row that are quarantined (they do not fail the run). */
  quarantined?: number
  /** Tests of the row taken from the result cache (their suites carry `xtest.cached`). */
  cached?: number
  /** Where its shards ran: `docker node:20`, `local`, `HOST v20.19.0, not node:24` (report/where-ran.ts). */
  ranOn?: string[]
}

export interface FailureInfo {
  container: string
  tier: string
  suite: string
  classname: string
  name: string
  /** The test file relative to the config root, when known. */
  file?: string
  /** Line in `file`, when the stack trace names the file. */
  line?: number
  result: 'failed' | 'error'
  type: string
  message: string
  /** The first lines of the failure body. */
  excerpt: string
  /** Another copy of this test passed in the same run. */
  flaky?: boolean
  /** Why the failure is quarantined (it does not fail the run). */
  quarantine?: string
}

/** A test whose recent history mixes passes and failures (see src/store/history.ts). */
export interface FlakyTest {
  /** `<container>/<tier>/<file> > <name>`. */
  test: string
  /** Failed or flaky runs over the runs that ran it, in the recent window (0..1). */
  rate: number
  /** Recent outcomes, oldest first: P passed, F failed, R passed on retry, S skipped. */
  recent: string
}

/** Files that got the same stand-in case for the same cause (one line in the summaries; the JUnit has them all). */
export interface FailureGroup {
  /** `xtest.<kind>`. */
  type: string
  cause: string
  count: number
  /** The first few files (at most 3). */
  examples: Array<{ container: string; tier: string; file: string }>
}

export interface FileTime extends ResultCell {
  time: number
}

/** What a merge returns: the data behind the summary table, the failures and the exit code. */
export interface RunSummary {
  /** Path of the merged JUnit file. */
  outPath: string
  /** Empty for `xtest merge` (statuses come from suite properties there). */
  shards: ShardSummary[]
  rows: SummaryRow[]
  totals: Totals
  slowestFiles: FileTime[]
  /** Failing cases, except xtest's per-file stand-ins, which are in `failureGroups`. */
  failures: FailureInfo[]
  /** xtest's per-file stand-in cases (files without a result), one entry per cause. */
  failureGroups: FailureGroup[]
  /** Problems that are not test failures: ignored elements, duplicates dropped, truncations. */
  notes: string[]
  /** The run was interrupted (Ctrl-C / SIGTERM). */
  interrupted: boolean
  /** Wall time of the run in ms: first shard start to last shard end (from the suites' `started_at` and `duration_ms`), when known. */
  wallMs?: number
  /** The shards that ran, on their lanes, with the critical path marked; undefined when no suite says when it started. */
  timeline?: TimelineLayout
  /** How many shards ran (each shard execution once, also across merged CI parts). */
  shardCount?: number
  /** Failures of quarantined tests: reported, but they do not fail the run. */
  quarantined?: FailureInfo[]
  /** Tests of this run whose recent history mixes passes and failures. */
  flaky?: FlakyTest[]
  /** Tests and files taken from the result cache instead of running. */
  cached?: { tests: number; files: number }
  /** Containers whose config names an image that `--runtime auto` ran on the host instead (no engine answered). */
  hostFallbacks?: HostFallback[]
  /** The merged coverage, when the run or merge collected it. */
  coverage?: MergedCoverage
}
