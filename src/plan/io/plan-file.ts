// plan.json on disk: written with each run and read back for `--plan`, checked because it may be tampered with.
import path from 'node:path'
import type { ResolvedConfig } from '../../config/resolve.js'
import { ConfigError } from '../../core/errors.js'
import { readStored, writeStored } from '../../store/files.js'
import type { Weights } from '../balance.js'
import { compareContainers, fingerprintContainers, type PlanRecord, parsePlanRecord } from '../plan-record.js'
import type { Plan } from '../types.js'

const MAX_PLAN_BYTES = 256 * 1024 * 1024

/** Writes `plan.json` into a run folder (temp file + rename); returns its path. */
export function writePlanRecord(dir: string, record: PlanRecord): string {
  const file = path.join(dir, 'plan.json')
  writeStored(file, `${JSON.stringify(record, null, 1)}\n`)
  return file
}

export interface LoadedPlan {
  /** The recorded plan, with root and configPath of this machine's config. */
  plan: Plan
  /** The weights the recording run split with; undefined for a bare `xtest plan --json` output. */
  weights?: Weights
  hash?: string
  warnings: string[]
}

/**
 * `--plan FILE`: the plan a run recorded (or `xtest plan --json` printed), instead of discovering files. The config
 * still defines the containers: one the plan uses but the config lacks is an error, a changed one a warning.
 */
export function readPlanFile(file: string, config: ResolvedConfig): LoadedPlan {
  // A run folder's plan.json lies where test code may write: read as the store reads (no FIFO, a size cap).
  const text = readStored(file, MAX_PLAN_BYTES, true)
  if (!text.ok || text.value === undefined)
    throw new ConfigError(`--plan ${file}: cannot read it (${text.ok ? 'no such file' : text.message})`, 'XTEST_PLAN_FILE')
  const read = parsePlanRecord(text.value)
  if (!read.ok) throw new ConfigError(`--plan ${file}: ${read.message}`, 'XTEST_PLAN_FILE')
  const parsed = read.value
  const missing = [...new Set(parsed.plan.shards.map((shard) => shard.container))].filter((name) => !(name in config.containers))
  if (missing.length > 0) {
    throw new ConfigError(
      `--plan ${file}: container ${missing.join(', ')} of the plan is not in the config (known: ${Object.keys(config.containers).join(', ')})`,
      'XTEST_PLAN_FILE',
    )
  }
  const current = fingerprintContainers(config.containers)
  const warnings = parsed.containers ? compareContainers(parsed.containers, current).map((line) => `--plan ${file}: ${line}`) : []
  const plan: Plan = {
    ...parsed.plan,
    root: config.root,
    configPath: config.configPath,
    containers: (parsed.plan.containers ?? [...new Set(parsed.plan.shards.map((shard) => shard.container))]).filter(
      (name) => name in config.containers,
    ),
    files: parsed.plan.files ?? [],
    errors: parsed.plan.errors ?? [],
    warnings: parsed.plan.warnings ?? [],
  }
  const loaded: LoadedPlan = { plan, warnings }
  if (parsed.weights) loaded.weights = parsed.weights
  if (parsed.hash) loaded.hash = parsed.hash
  return loaded
}
