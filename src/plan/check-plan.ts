// A plan file (`--plan FILE`) is input from elsewhere (a CI artifact, a download) and its ids and paths become
// run-folder names and file arguments: shard `../../../.git/hooks` would write outside the run folder. Every
// field that turns into a path is checked against a closed pattern before anything uses it.

import { fail, ok, type Result } from '../core/result.js'
import { shardId } from '../core/shard.js'
import { TIERS } from '../core/tiers.js'
import type { Weights } from './balance.js'
import type { Plan } from './types.js'

/** Shard and container ids: what a run folder may be called. */
const ID_PATTERN = /^[a-z0-9._-]+$/
/** Container names, as the config schema allows them. */
const CONTAINER_PATTERN = /^[a-z0-9][a-z0-9_-]*$/

export function isSafeId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id) && !id.includes('..') && !id.startsWith('.')
}

/** A POSIX path relative to the config root that stays inside it: no absolute path, no `..`, `.` or empty segment, no NUL. */
export function isSafeRelativePath(file: unknown): file is string {
  if (typeof file !== 'string' || file === '' || file.includes('\0') || file.startsWith('/') || /^[A-Za-z]:/.test(file)) return false
  return file.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..')
}

const show = (value: unknown) => JSON.stringify(value)?.slice(0, 80) ?? String(value)

/** The plan, or the first problem of its shape, ids and paths (one line). */
export function checkPlan(plan: Plan | undefined): Result<Plan> {
  if (typeof plan !== 'object' || plan === null || plan.version !== 1 || !Array.isArray(plan.shards))
    return fail('not an xtest plan (version 1)')
  for (const [i, shard] of plan.shards.entries()) {
    const isShard =
      typeof shard === 'object' &&
      shard !== null &&
      typeof shard.container === 'string' &&
      (TIERS as readonly string[]).includes(shard.tier) &&
      Array.isArray(shard.files)
    if (!isShard) return fail(`shards[${i}] is not a shard (container, tier, files)`)
    if (!CONTAINER_PATTERN.test(shard.container))
      return fail(`shards[${i}].container ${show(shard.container)} is not a container name (a-z, 0-9, '-', '_')`)
    if (shard.slice !== undefined && !(Number.isInteger(shard.slice) && shard.slice >= 1))
      return fail(`shards[${i}].slice ${show(shard.slice)} is not a slice number`)
    if (shard.slices !== undefined && !(Number.isInteger(shard.slices) && shard.slices >= (shard.slice ?? Infinity)))
      return fail(`shards[${i}].slices ${show(shard.slices)} is not a slice count (≥ its slice)`)
    const expected = shardId(shard.container, shard.tier, shard.slice)
    if (!isSafeId(shard.id) || shard.id !== expected)
      return fail(`shards[${i}].id ${show(shard.id)} is not the shard's id (expected '${expected}')`)
    const bad = shard.files.findIndex((file) => !isSafeRelativePath(file))
    if (bad >= 0)
      return fail(`shards[${i}].files[${bad}] ${show(shard.files[bad])} is not a path inside the repository (relative, POSIX, no '..')`)
  }
  if (
    plan.containers !== undefined &&
    (!Array.isArray(plan.containers) || !plan.containers.every((name) => typeof name === 'string' && CONTAINER_PATTERN.test(name)))
  ) {
    return fail('containers is not a list of container names')
  }
  if (plan.files !== undefined) {
    if (!Array.isArray(plan.files)) return fail('files is not a list')
    const bad = plan.files.findIndex((file) => typeof file !== 'object' || file === null || !isSafeRelativePath(file.path))
    if (bad >= 0)
      return fail(
        `files[${bad}].path ${show((plan.files[bad] as { path?: unknown } | null)?.path)} is not a path inside the repository (relative, POSIX, no '..')`,
      )
  }
  for (const key of ['errors', 'warnings'] as const) {
    if (plan[key] !== undefined && !Array.isArray(plan[key])) return fail(`${key} is not a list`)
  }
  return ok(plan)
}

/** Weights are durations in ms: finite, not negative. */
export function checkWeights(weights: unknown): Result<Weights> {
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) return fail('has no weights')
  for (const [key, ms] of Object.entries(weights)) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return fail(`weights[${show(key)}] ${show(ms)} is not a duration in ms`)
  }
  return ok(weights as Weights)
}
