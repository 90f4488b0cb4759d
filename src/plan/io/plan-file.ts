// plan.json on disk: written with each run and read back for `--plan`, checked because it may be tampered with.
import fs from 'node:fs'
import path from 'node:path'
import type { ResolvedConfig } from '../../config/resolve.js'
import type { Weights } from '../balance.js'
import { compareContainers, fingerprintContainers, parsePlanRecord, type PlanRecord } from '../plan-record.js'
import type { Plan } from '../types.js'
import { ConfigError } from '../../core/errors.js'
import { writeFreshFile } from '../../core/safe-fs.js'

/** Writes `plan.json` into a run folder (temp file + rename); returns its path. */
export function writePlanRecord(dir: string, record: PlanRecord): string {
  const file = path.join(dir, 'plan.json')
  fs.mkdirSync(dir, { recursive: true })
  writeFreshFile(file, `${JSON.stringify(record, null, 1)}\n`)
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
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError(`--plan ${file}: cannot read it (${(error as Error).message})`, 'XTEST_PLAN_FILE')
  }
  const read = parsePlanRecord(text)
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
