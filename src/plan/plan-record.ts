// What a run's plan.json holds (plan, weights, hash), so parts of a split and a later merge agree on one plan.
import crypto from 'node:crypto'
import { fail, ok, parseJson, type Result } from '../core/result.js'
import type { Weights } from './balance.js'
import { checkPlan, checkWeights } from './check-plan.js'
import type { ShardPart } from './shard-split.js'
import type { Plan } from './types.js'

/**
 * `plan.json` in a run folder: the plan a run used (its shards before `--shard` and slices), the weights the split
 * used, and a fingerprint of each container's config. `xtest run --plan plan.json --shard I/N` recomputes exactly
 * the part a CI job ran, on any machine, without that machine's timings.
 */
export interface PlanRecord {
  version: 1
  /** `sha256:<hex>` of the canonical JSON of { containers, weights, plan } (the plan without root and configPath). */
  hash: string
  createdAt: string
  /** The part the recording run ran; not part of the hash, so all N parts of one CI run share it. */
  shard?: ShardPart
  /** Container name → sha256 of its config (without `slices`, which only sets this machine's parallelism). */
  containers: Record<string, string>
  weights: Weights
  plan: Plan
}

/** A parsed plan.json (weights, containers and hash) or bare `xtest plan --json` output (the plan alone). */
export interface ParsedPlan {
  plan: Plan
  weights?: Weights
  containers?: Record<string, string>
  hash?: string
}

/** JSON with object keys sorted at every level and no whitespace: the same bytes for the same value. */
export function toCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((each) => toCanonicalJson(each ?? null)).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, each]) => each !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, each]) => `${JSON.stringify(key)}:${toCanonicalJson(each)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

const sha256 = (text: string): string => crypto.createHash('sha256').update(text).digest('hex')

export function fingerprintContainers(containers: Record<string, object>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(containers).map(([name, container]) => {
      const { slices: _slices, ...rest } = container as Record<string, unknown>
      return [name, sha256(toCanonicalJson(rest))]
    }),
  )
}

export function hashPlanRecord(record: Pick<PlanRecord, 'containers' | 'weights' | 'plan'>): string {
  const { root: _root, configPath: _configPath, ...plan } = record.plan
  return `sha256:${sha256(toCanonicalJson({ containers: record.containers, weights: record.weights, plan }))}`
}

export function createPlanRecord(input: {
  plan: Plan
  weights: Weights
  containers: Record<string, string>
  shard?: ShardPart
  now: Date
}): PlanRecord {
  const record: PlanRecord = {
    version: 1,
    hash: '',
    createdAt: input.now.toISOString(),
    containers: input.containers,
    weights: input.weights,
    plan: input.plan,
  }
  if (input.shard) record.shard = input.shard
  // Hashed on first read (writing plan.json, a --shard summary): `xtest plan` on 50,000 files never pays for it.
  let hash: string | undefined
  Object.defineProperty(record, 'hash', { enumerable: true, get: () => (hash ??= hashPlanRecord(record)) })
  return record
}

/**
 * Reads `plan.json` (a PlanRecord, whose hash must match) or the output of `xtest plan --json` (a bare plan: no
 * weights, so the caller weighs it with its own timings). Ids and paths are checked strictly (check-plan.ts).
 * Returns one line on a problem.
 */
export function parsePlanRecord(text: string): Result<ParsedPlan> {
  const json = parseJson(text)
  if (!json.ok) return json
  const data = json.value
  const record = data as Partial<PlanRecord> | null
  const plan = (record && typeof record === 'object' && 'plan' in record ? record.plan : data) as Plan | undefined
  const checked = checkPlan(plan)
  if (!checked.ok) return checked
  if (record === null || !('plan' in record)) return ok({ plan: checked.value })
  const weights = checkWeights(record.weights)
  if (!weights.ok) return weights
  if (record.containers !== undefined && (typeof record.containers !== 'object' || record.containers === null))
    return fail('containers is not an object')
  // Required: the hash is how a hand-edited or truncated record is told from the one a run wrote.
  if (typeof record.hash !== 'string') return fail("has no hash (a run folder's plan.json always has one)")
  if (record.hash !== hashPlanRecord(record as PlanRecord)) {
    return fail(`its hash ${record.hash} does not match its content (edited by hand?)`)
  }
  return ok({ plan: checked.value, weights: weights.value, containers: record.containers ?? {}, hash: record.hash })
}

/** Warnings when the config's containers differ from the ones the plan was made with. */
export function compareContainers(recorded: Record<string, string>, current: Record<string, string>): string[] {
  const warnings: string[] = []
  for (const [name, hash] of Object.entries(recorded)) {
    if (!(name in current)) warnings.push(`container ${name} of the plan is not in the config`)
    else if (current[name] !== hash) warnings.push(`container ${name} is defined differently in the config than when the plan was made`)
  }
  for (const name of Object.keys(current))
    if (!(name in recorded)) warnings.push(`container ${name} is new in the config (the plan does not use it)`)
  return warnings
}
