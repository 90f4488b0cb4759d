import os from 'node:os'
import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import { planProject } from '../plan/plan-project.js'
import type { Timings } from '../plan/timings.js'
import type { Plan } from '../plan/types.js'
import { TIERS, type Tier } from '../core/tiers.js'
import { readPlanFile } from '../plan/io/plan-file.js'
import { preparePlan, type PreparedPlan } from '../plan/prepare.js'
import { loadTimings, timingsPathOf } from '../plan/io/timings-store.js'
import { parseContainerOption, parseTierOption } from './args.js'
import { parseChangedOption, parseShardOption, parseSlicesOption } from './scale-options.js'

/** The options `xtest run` and `xtest plan` share for choosing the work. */
export interface WorkOptions {
  plan?: string
  container?: unknown
  tier?: unknown
  changed?: unknown
  shard?: unknown
  slices?: unknown
}

export interface Work {
  /** The whole plan (discovered, or read from --plan). */
  full: Plan
  prepared: PreparedPlan
  timings: Timings
  /** Hash of the --plan file, when it had one. */
  planHash?: string
}

/**
 * Options → the shards this machine works on. `defaultTiers` applies without --tier (with --plan: every tier of
 * the plan file, so that `--plan plan.json --shard I/N` repeats the recorded part).
 */
export async function prepareWork(config: ResolvedConfig, options: WorkOptions, defaultTiers: Tier[], warn: (line: string) => void, cores = os.availableParallelism()): Promise<Work> {
  const shard = parseShardOption(options.shard)
  const slices = parseSlicesOption(options.slices)
  const changed = parseChangedOption(options.changed)
  const loaded = options.plan ? readPlanFile(path.resolve(options.plan), config) : undefined
  for (const line of loaded?.warnings ?? []) warn(line)
  const full = loaded?.plan ?? await planProject(config)
  const containers = parseContainerOption(options.container, loaded ? Object.keys(config.containers) : full.containers)
  const tiers = parseTierOption(options.tier, loaded ? [...TIERS] : defaultTiers)
  const timings = loadTimings(timingsPathOf(config), warn)
  const prepared = await preparePlan({ config, plan: full, weights: loaded?.weights, timings, containers, tiers, changed, shard, slices, cores })
  const work: Work = { full, prepared, timings }
  if (loaded?.hash) work.planHash = loaded.hash
  return work
}
