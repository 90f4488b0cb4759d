// The planner's I/O edge: a checked request → the whole plan (discovered, or the --plan file's) and the shards this
// machine works on (plan/prepare.ts: --container/--tier, --changed, --shard, slices). The only place that plans.
import type { CodeOf } from '../core/errors.js'
import { ConfigError } from '../core/errors.js'
import type { Timings } from '../store/timings.js'
import { loadTimings, timingsPathOf } from '../store/timings.js'
import { groupIssues } from './group-issues.js'
import { planProject } from './io/plan-project.js'
import { type PreparedPlan, preparePlan } from './prepare.js'
import type { PlanRequest } from './request.js'
import type { Plan } from './types.js'

export interface Work {
  /** The whole plan (discovered, or read from --plan). */
  full: Plan
  prepared: PreparedPlan
  timings: Timings
  /** Hash of the --plan file, when it had one. */
  planHash?: string
}

/** Request → the shards this machine works on. */
export async function prepareWork(request: PlanRequest): Promise<Work> {
  const { config, loaded, warn } = request
  for (const line of loaded?.warnings ?? []) warn(line)
  const full = loaded?.plan ?? (await planProject(config))
  const timings = loadTimings(timingsPathOf(config), warn)
  const prepared = await preparePlan({ ...request, plan: full, weights: loaded?.weights, timings })
  const work: Work = { full, prepared, timings }
  if (loaded?.hash) work.planHash = loaded.hash
  return work
}

/** Plan errors stop a run: one line per cause (files grouped); the first is the error line, the rest its hint. */
export function throwPlanErrors(plan: Plan): void {
  if (plan.errors.length === 0) return
  const [first, ...rest] = groupIssues(plan.errors)
  throw new ConfigError(first!, plan.errors[0]!.code as CodeOf<'config'>, {
    hint: rest.length ? rest.join('\n') : undefined,
  })
}
