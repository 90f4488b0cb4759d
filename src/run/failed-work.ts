// `xtest run --failed [REPORT]`: the work of a re-run of only what failed in an earlier report (default: the last
// run's merged report). Each failing (container, tier, file) cell runs again in its own container and tier, narrowed
// to the failing tests by a literal `--testNamePattern`; cells the current plan does not have are left out.
import path from 'node:path'
import { groupIntoShards } from '../plan/shard-split.js'
import { planProject } from '../plan/io/plan-project.js'
import type { Shard } from '../plan/types.js'
import { TIERS, type Tier } from '../core/tiers.js'
import { readJUnit } from '../report/index.js'
import { failedCells, runsOfReport } from '../report/failed-cells.js'
import { testNamePattern } from './name-pattern.js'
import { preparePlan } from '../plan/prepare.js'
import { loadTimings, timingsPathOf } from '../plan/io/timings-store.js'
import { UsageError } from '../core/errors.js'
import type { Work } from '../plan/work.js'
import type { RunRequest } from './request.js'

export interface FailedWork {
  /** The report read, for messages. */
  source: string
  /** Nothing failed (or nothing of it is still planned): nothing to run. */
  empty: boolean
  work?: Work
  /** The earlier run(s) this re-run completes. */
  completes: string
  /** Extra Vitest arguments per shard: the name filter of its cells. */
  argsFor(shard: Shard): string[]
}

const MAX_LISTED = 3

/** The request's --failed report (checked combinations: request.ts) → the cells to run again. */
export async function prepareFailed(request: RunRequest & { failed: string }): Promise<FailedWork> {
  const { config, containers, tiers, warn, failed: source } = request
  const read = await readJUnit(source)
  if (!read.ok) {
    const why =
      read.kind === 'missing'
        ? 'no such report (run xtest run first, or name a report)'
        : `not a usable JUnit report (${read.kind}): ${read.message}`
    throw new UsageError(`--failed ${path.relative(process.cwd(), source) || source}: ${why}`, 'XTEST_FAILED_REPORT')
  }
  const selection = failedCells(read.value.report)
  const completes = runsOfReport(read.value.report).join(',') || path.basename(source)
  const full = await planProject(config)
  const planned = new Set(full.shards.flatMap((shard) => shard.files.map((file) => `${shard.container}/${shard.tier}/${file}`)))
  const names = new Map<string, string[] | 'all'>()
  const items: Array<{ key: string; container: string; tier: Tier; file: string }> = []
  const gone: string[] = []
  for (const cell of selection.cells) {
    const key = `${cell.container}/${cell.tier}/${cell.file}`
    if (!planned.has(key)) {
      gone.push(key)
      continue
    }
    if (containers && !containers.includes(cell.container)) continue
    if (!tiers.includes(cell.tier as Tier)) continue
    items.push({ key, container: cell.container, tier: cell.tier as Tier, file: cell.file })
    const shardKey = `${cell.container}.${cell.tier}`
    const before = names.get(shardKey) ?? []
    names.set(shardKey, before === 'all' || cell.wholeFile ? 'all' : [...before, ...cell.names])
  }
  if (gone.length > 0) {
    const listed = gone.slice(0, MAX_LISTED).join(', ') + (gone.length > MAX_LISTED ? ` and ${gone.length - MAX_LISTED} more` : '')
    warn(
      `--failed: ${gone.length} failed cell(s) of the report are not in the current plan (moved, deleted, or not from this project); not re-run: ${listed}`,
    )
  }
  const argsFor = (shard: Shard): string[] => {
    const wanted = names.get(`${shard.container}.${shard.tier}`)
    if (wanted === undefined || wanted === 'all') return []
    const pattern = testNamePattern(wanted)
    if (pattern === undefined) warn(`--failed: too many or too long test names in ${shard.container}/${shard.tier}; its files run in full`)
    return pattern === undefined ? [] : [`--testNamePattern=${pattern}`]
  }
  if (items.length === 0) return { source, empty: true, completes, argsFor }
  const plan = { ...full, shards: groupIntoShards(items) }
  const timings = loadTimings(timingsPathOf(config), warn)
  const prepared = await preparePlan({ config, plan, timings, tiers: [...TIERS], cores: request.cores })
  return { source, empty: false, work: { full: plan, prepared, timings }, completes, argsFor }
}
