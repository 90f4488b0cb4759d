// The planner's narrowing, pure but for the lazily loaded --changed edge (io/changed.ts, io/import-graph.ts): the whole
// plan → the shards this machine runs. The CLI and run() select shards only here; runPlan runs them as given.
import type { ResolvedConfig } from '../config/resolve.js'
import { createDebug } from '../core/debug.js'
import type { Tier } from '../core/tiers.js'
import type { Timings } from '../store/timings.js'
import { selectAffected } from './affected.js'
import { listWork, type Weights, type WorkItem, weighWork } from './balance.js'
import { selectShards } from './plan.js'
import { createPlanRecord, fingerprintContainers, type PlanRecord } from './plan-record.js'
import { type PartSummary, type ShardPart, splitShards } from './shard-split.js'
import { type SliceSetting, sliceShards } from './slice-shards.js'
import type { Plan } from './types.js'

const debugPlan = createDebug('xtest:plan')

export interface PrepareInput {
  config: ResolvedConfig
  plan: Plan
  /** Weights recorded in a plan file (`--plan`): they make the split the recording run's. */
  weights?: Weights
  timings: Timings
  containers?: string[]
  tiers: Tier[]
  /** `--changed [REF]`: the ref, or true for the default (uncommitted changes). */
  changed?: string | true
  shard?: ShardPart
  /** `--slices`: overrides every container's `slices`. */
  slices?: SliceSetting
  cores: number
  now?: Date
  /** `--changed`: the inputs a run recorded for a test file (relative to the config root), if a current record exists. */
  recordedInputs?(file: string): readonly string[] | undefined
}

export interface ChangedSelection {
  ref: string
  /** Changed files, relative to the config root. */
  files: string[]
  /** Selected test file → why. */
  reasons: Map<string, string>
}

export interface PreparedPlan {
  /** The plan with the shards this machine runs: selected, --changed, this --shard part, sliced. */
  plan: Plan
  /** What `plan.json` records: the shards before --shard and slices, and the weights of their files. */
  record: PlanRecord
  /** This machine's part of `--shard I/N`. */
  shard?: ShardPart
  /** Every part of `--shard`, with its expected time. */
  parts?: PartSummary[]
  changed?: ChangedSelection
  /** Files with a recorded time, of all selected, and the median used for the rest. */
  timed: number
  total: number
  medianMs: number
}

/** Plan → the shards to run here: --container/--tier, --changed, --shard I/N (balanced by timings), slices. */
export async function preparePlan(input: PrepareInput): Promise<PreparedPlan> {
  const { config } = input
  let shards = selectShards(input.plan, input.containers, input.tiers)
  let changed: ChangedSelection | undefined
  if (input.changed !== undefined) {
    const ref = input.changed === true ? 'HEAD' : input.changed
    // Loaded only for --changed: git, .dockerignore matching and the import graph cost nothing otherwise.
    const [{ findChangeTriggers, listChangedFiles }, { createImportScanner }] = await Promise.all([
      import('./io/changed.js'),
      import('./io/import-graph.js'),
    ])
    const files = await listChangedFiles(config.root, ref, config.limits.gitTimeoutMs)
    const set = new Set(files)
    const affected = selectAffected({
      shards,
      changed: set,
      triggers: findChangeTriggers(config, files),
      importsOf: createImportScanner(config.root, set),
      recordedInputs: input.recordedInputs,
    })
    shards = affected.shards
    changed = { ref, files, reasons: affected.reasons }
  }
  // Weighing 50,000 items costs; only --shard, slices and plan.json (written by a run) need it.
  const planShards = shards
  let weighed: { weights: Weights; timed: Set<string>; total: number; medianMs: number } | undefined
  const weigh = () => (weighed ??= weighItems(listWork(planShards), input))
  const needsWeights =
    input.shard !== undefined || input.slices !== undefined || planShards.some((s) => config.containers[s.container]?.slices !== undefined)
  const recordInput = {
    plan: { ...input.plan, shards: planShards },
    containers: fingerprintContainers(config.containers),
    shard: input.shard,
    now: input.now ?? new Date(),
  }
  let record: PlanRecord | undefined
  const recordOf = () => (record ??= createPlanRecord({ ...recordInput, weights: weigh().weights }))
  let parts: PartSummary[] | undefined
  if (input.shard) ({ shards, parts } = splitShards(shards, weigh().weights, input.shard))
  if (needsWeights) {
    shards = sliceShards({
      shards,
      weights: weigh().weights,
      timed: weigh().timed,
      cores: input.cores,
      sliceOf: (container) => input.slices ?? config.containers[container]?.slices,
    })
  }
  debugPlan(
    `${input.plan.files.length} files, ${input.plan.shards.length} shards planned; ${shards.length} selected${changed ? ` (--changed ${changed.ref}: ${changed.files.length} changed files)` : ''}${input.shard ? `, part ${input.shard.index}/${input.shard.count}` : ''}: ${shards.map((s) => `${s.id} (${s.files.length})`).join(', ')}`,
  )
  const prepared = { plan: { ...input.plan, shards } } as PreparedPlan
  if (input.shard) prepared.shard = input.shard
  Object.defineProperties(prepared, {
    record: { enumerable: true, get: recordOf },
    timed: { enumerable: true, get: () => weigh().timed.size },
    total: { enumerable: true, get: () => weigh().total },
    medianMs: { enumerable: true, get: () => weigh().medianMs },
  })
  if (parts) prepared.parts = parts
  if (changed) prepared.changed = changed
  return prepared
}

function weighItems(items: WorkItem[], input: PrepareInput) {
  const weighed = weighWork(items, input.timings)
  const weights: Weights = {}
  for (const item of items) weights[item.key] = input.weights?.[item.key] ?? weighed.weights[item.key]!
  const timed = new Set(
    input.weights ? items.map((item) => item.key) : items.filter((item) => item.key in input.timings.entries).map((item) => item.key),
  )
  return { weights, timed, total: items.length, medianMs: weighed.medianMs }
}
