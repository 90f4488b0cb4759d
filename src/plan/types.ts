// The plan's types, plain JSON so a plan can be printed, saved, compared and read back by another machine.

import type { XtestErrorCode } from '../core/errors.js'
import type { ShardIdentity } from '../core/shard.js'
import type { Tier } from '../core/tiers.js'

/** Why a file went where it went: shown by `xtest plan --files`. */
export interface Assignment {
  container: string
  tier: Tier
  /** e.g. `include 'optimizer/**'`, `pinned by @xtest-container opt`, `all files (no include)` */
  reason: string
}

/** One discovered test file and its fate. */
export interface PlannedFile {
  /** POSIX path relative to the config root. */
  path: string
  tiers: Tier[]
  fate: 'assigned' | 'unassigned' | 'overlap' | 'error'
  assignments: Assignment[]
  /** For unassigned/overlap/error files: what went wrong, in one line. */
  problem?: string
}

/** One (container, tier[, slice]) unit: one Vitest process in one container. */
export interface Shard extends ShardIdentity {
  /** Set by slicing (slice-shards.ts): how many slices its (container, tier) has. */
  slices?: number
  /** POSIX paths relative to the config root, sorted. */
  files: string[]
}

/** The codes a plan's issues carry (registered in core/errors.ts); each is set where its problem is found. */
export type PlanIssueCode = Extract<XtestErrorCode, `XTEST_FILE_${string}` | 'XTEST_GLOB_UNUSED' | 'XTEST_NO_TEST_FILES'>

export interface PlanIssue {
  code: PlanIssueCode
  message: string
  file?: string
  container?: string
}

/** The pure, JSON-serialisable result of config + file tree. Versioned: `xtest plan --json` prints it. */
export interface Plan {
  version: 1
  /** Absolute path of the directory holding the config (paths are relative to it). */
  root: string
  /** Absolute path of the config file, or null for the built-in default. */
  configPath: string | null
  containers: string[]
  tiers: Tier[]
  shards: Shard[]
  files: PlannedFile[]
  errors: PlanIssue[]
  warnings: PlanIssue[]
}
