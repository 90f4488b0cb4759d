// `xtest plan`, `xtest run` and the library's plan()/run() choose their work with the same values. They are all
// checked here, once, before any file is discovered or any engine called: an unknown container or tier,
// a bad --shard or --slices, an unreadable or tampered --plan file cost one line and exit 2 within a second.
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../config/load.js'
import type { ResolvedConfig } from '../config/resolve.js'
import { UsageError } from '../core/errors.js'
import { TIERS, type Tier } from '../core/tiers.js'
import { type LoadedPlan, readPlanFile } from './io/plan-file.js'
import {
  parseChangedOption,
  parseContainerOption,
  parsePositiveInt,
  parseShardOption,
  parseSlicesOption,
  parseTierOption,
} from './options.js'
import type { ShardPart } from './shard-split.js'
import type { SliceSetting } from './slice-shards.js'

/** What a caller gives: plain values (a library call) or the CLI's flag values, checked the same way. */
export interface PlanInput {
  /** A config file, or a loaded config (default: the xtest config found upwards from the current folder). */
  config?: string | ResolvedConfig
  /** Where the config is looked for, as exec()'s (default `process.cwd()`); the run's other paths stay relative to the process. */
  cwd?: string
  /** Only these containers (names of the config). */
  containers?: string | readonly string[]
  /** Only these tiers; 'all' for every tier. */
  tiers?: string | readonly string[]
  /** This machine's part of a split: 'I/N' or { index, count }, 1-based. */
  shard?: string | ShardPart
  /** Slices per shard on this machine: a number or 'auto' (default: the config's). */
  slices?: number | string
  /** Only files affected by changes since this git ref; true for the uncommitted changes. */
  changed?: string | boolean
  /** A recorded plan (a run folder's plan.json, or `xtest plan --save`) instead of discovering files. */
  planFile?: string
  /** Cores the slices are sized for (default: this machine's). */
  cores?: number
  onWarning?(line: string): void
}

/** The checked choices of a plan: everything the planner needs, nothing left to parse. */
export interface PlanRequest {
  config: ResolvedConfig
  containers?: string[]
  tiers: Tier[]
  shard?: ShardPart
  slices?: SliceSetting
  changed?: string | true
  /** The --plan file, read and checked against the config. */
  loaded?: LoadedPlan
  cores: number
  warn(line: string): void
  /** `--changed`: the inputs a run recorded for a test file; set by the run layer, which reads the result cache. */
  recordedInputs?(file: string): readonly string[] | undefined
}

/** The options plan() takes: a library caller's misspelt option (`tier`, `container`) is refused, not ignored. */
export const PLAN_OPTIONS = Object.keys({
  config: 1,
  cwd: 1,
  containers: 1,
  tiers: 1,
  shard: 1,
  slices: 1,
  changed: 1,
  planFile: 1,
  cores: 1,
  onWarning: 1,
} satisfies Record<keyof PlanInput, 1>)

/** A library call's options: an object whose keys are all `known`, else a UsageError (exit 2) naming the culprit. */
export function checkOptions(what: string, input: unknown, known: readonly string[]): void {
  if (input === undefined) return
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new UsageError(`${what}: expects an object of options, got ${JSON.stringify(input)}`)
  const unknown = Object.keys(input).find((key) => !known.includes(key))
  if (unknown !== undefined) throw new UsageError(`${what}: unknown option '${unknown}' (known: ${known.join(', ')})`)
}

/** A file path option: a string or nothing (a number or an object would reach `path` as a TypeError). */
export function optionalPath(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value
  throw new UsageError(`--${name} expects a file path, got ${JSON.stringify(value)}`)
}

/**
 * Input → request, or a UsageError/ConfigError (exit 2). `defaultTiers` applies without `tiers` (with a plan file:
 * every tier of the file, so that `--plan plan.json --shard I/N` repeats the recorded part).
 */
export async function toPlanRequest(input: PlanInput, defaultTiers: readonly Tier[]): Promise<PlanRequest> {
  const config =
    typeof input.config === 'object' && input.config !== null
      ? input.config
      : await loadConfig({ configFile: optionalPath('config', input.config), cwd: optionalPath('cwd', input.cwd) })
  const shard = parseShardOption(typeof input.shard === 'object' ? `${input.shard.index}/${input.shard.count}` : input.shard)
  const slices = parseSlicesOption(input.slices)
  const changed = parseChangedOption(input.changed)
  const containers = parseContainerOption(input.containers, Object.keys(config.containers))
  const planFile = optionalPath('plan', input.planFile)
  const loaded = planFile ? readPlanFile(path.resolve(planFile), config) : undefined
  const tiers = parseTierOption(input.tiers, loaded ? [...TIERS] : [...defaultTiers])
  // An empty list is a caller's bug (a filter that matched nothing), not "every container" or "no tier".
  if (containers?.length === 0)
    throw new UsageError(`--container: no container given (known: ${Object.keys(config.containers).join(', ')})`)
  if (tiers.length === 0) throw new UsageError(`--tier: no tier given (known: ${TIERS.join(', ')}, all)`)
  const request: PlanRequest = {
    config,
    tiers,
    cores: parsePositiveInt('cores', input.cores) ?? os.availableParallelism(),
    warn: input.onWarning ?? (() => {}),
  }
  if (containers) request.containers = containers
  if (shard) request.shard = shard
  if (slices !== undefined) request.slices = slices
  if (changed !== undefined) request.changed = changed
  if (loaded) request.loaded = loaded
  return request
}
