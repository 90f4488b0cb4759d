// `xtest run --failed [REPORT]`: the work of a re-run of only what failed in an earlier report (default: the last
// run's merged report). Each failing (container, tier, file) cell runs again in its own container and tier, narrowed
// to the failing tests by a literal `--testNamePattern`. A failure that cannot be placed in today's plan (file moved
// or deleted, another project, outside --container/--tier, tied to no file) is not re-run and keeps the run red.
import path from 'node:path'
import type { ReportSuite } from '../core/junit-report.js'
import { resultKey } from '../core/result-key.js'
import { shardId } from '../core/shard.js'
import { TIERS, type Tier } from '../core/tiers.js'
import { loadTimings, timingsPathOf } from '../store/timings.js'
import type { WorkItem } from './balance.js'
import { planProject } from './io/plan-project.js'
import { testNamePattern } from './name-pattern.js'
import { preparePlan } from './prepare.js'
import type { PlanRequest } from './request.js'
import { groupIntoShards } from './shard-split.js'
import type { Shard } from './types.js'
import type { Work } from './work.js'

/** A failed (container, tier, file) of the report (report/failed-cells.ts finds them). */
export interface FailedCell {
  container: string
  tier: string
  file: string
  /** Failing test names (full names, ` > `-joined); empty with `wholeFile`. */
  names: string[]
  /** A failure the name filter cannot aim at (the file failed to load, a stand-in for a crashed shard): run it all. */
  wholeFile: boolean
}

export interface FailedSelection {
  cells: FailedCell[]
  /** (container, tier) pairs with a failure tied to no file (unhandled errors): every reported file of it re-runs. */
  wholeShards: Array<{ container: string; tier: string }>
  /** Failing suites tied to no file whose (container, tier) has no file in the report: nothing to re-run them with. */
  orphans: Array<{ container: string; tier: string; suite: string }>
}

/** The --failed report as report/failed-cells.ts reads it. */
export interface FailedReport {
  selection: FailedSelection
  completes: string
  /** Failures that cannot be re-run → suites for the re-run's report. */
  carry(unplaced: Placed['unplaced']): ReportSuite[]
}

export interface FailedWork {
  /** The report read, for messages. */
  source: string
  /** Nothing of it can run (nothing failed, or nothing of it is still planned). */
  empty: boolean
  work?: Work
  /** Failures that cannot be re-run, as suites for the re-run's report (they keep it red). */
  carried: ReportSuite[]
  /** One line naming them and why, when there are any. */
  unplacedLine?: string
  /** The tests re-run by name, per file suite, and the report they failed in: each must run again. */
  aimed: { source: string; cells: Placed['aimed'] }
  /** The earlier run(s) this re-run completes. */
  completes: string
  /** Extra Vitest arguments per shard: the name filter of its cells. */
  argsFor(shard: Shard): string[]
}

const MAX_LISTED = 3

export interface Placed {
  items: WorkItem[]
  /** `<container>.<tier>` → the test names to re-run there, or 'all'. */
  names: Map<string, string[] | 'all'>
  unplaced: Array<{ container: string; tier: string; file?: string; suite: string; why: string }>
  /** The placed cells re-run by name: each of these tests must run again (report/failed-cells.ts checkRerun). */
  aimed: Array<{ suite: string; names: string[] }>
}

/** Places the failed cells in today's plan (`<container>/<tier>/<file>` keys); what cannot be placed says why. */
export function placeFailed(
  selection: FailedSelection,
  planned: ReadonlySet<string>,
  only: { containers?: readonly string[]; tiers: readonly string[] },
): Placed {
  const placed: Placed = { items: [], names: new Map(), unplaced: [], aimed: [] }
  for (const orphan of selection.orphans)
    placed.unplaced.push({ ...orphan, why: 'it names no test file, and no file of its shard is in the report' })
  for (const cell of selection.cells) {
    const key = resultKey(cell.container, cell.tier, cell.file)
    const miss = (why: string) => placed.unplaced.push({ container: cell.container, tier: cell.tier, file: cell.file, suite: key, why })
    if (!planned.has(key)) miss('not in the current plan (moved, deleted, or not from this project)')
    else if (only.containers && !only.containers.includes(cell.container)) miss('its container is not among --container')
    else if (!only.tiers.includes(cell.tier)) miss('its tier is not among --tier')
    else {
      placed.items.push({ key, container: cell.container, tier: cell.tier as Tier, file: cell.file })
      if (!cell.wholeFile) placed.aimed.push({ suite: key, names: cell.names })
      const shardKey = shardId(cell.container, cell.tier)
      const before = placed.names.get(shardKey) ?? []
      placed.names.set(shardKey, before === 'all' || cell.wholeFile ? 'all' : [...before, ...cell.names])
    }
  }
  return placed
}

/** The --failed report (its cells read by report/failed-cells.ts readFailedReport) → the cells to run again. */
export async function prepareFailed(
  request: Pick<PlanRequest, 'config' | 'containers' | 'tiers' | 'cores' | 'warn'> & FailedReport & { failed: string },
): Promise<FailedWork> {
  const { config, containers, tiers, warn, failed: source, completes } = request
  const shown = path.relative(process.cwd(), source) || source
  const full = await planProject(config)
  const planned = new Set(full.shards.flatMap((shard) => shard.files.map((file) => resultKey(shard.container, shard.tier, file))))
  const { items, names, unplaced, aimed: cells } = placeFailed(request.selection, planned, { ...(containers && { containers }), tiers })
  const carried = request.carry(unplaced)
  let unplacedLine: string | undefined
  if (unplaced.length > 0) {
    const listed = unplaced
      .slice(0, MAX_LISTED)
      .map((each) => `${each.suite} (${each.why})`)
      .join(', ')
    const more = unplaced.length > MAX_LISTED ? ` and ${unplaced.length - MAX_LISTED} more` : ''
    unplacedLine = `--failed: ${unplaced.length} failure(s) of ${shown} cannot be re-run, so the run stays failed: ${listed}${more}`
  }
  const argsFor = (shard: Shard): string[] => {
    const wanted = names.get(shardId(shard.container, shard.tier))
    if (wanted === undefined || wanted === 'all') return []
    const pattern = testNamePattern(wanted)
    if (pattern === undefined) warn(`--failed: too many or too long test names in ${shard.container}/${shard.tier}; its files run in full`)
    return pattern === undefined ? [] : [`--testNamePattern=${pattern}`]
  }
  const cannot = unplacedLine === undefined ? {} : { unplacedLine }
  const aimed = { source: shown, cells }
  if (items.length === 0) return { source, empty: true, completes, argsFor, carried, aimed, ...cannot }
  const plan = { ...full, shards: groupIntoShards(items) }
  const timings = loadTimings(timingsPathOf(config), warn)
  const prepared = await preparePlan({ config, plan, timings, tiers: [...TIERS], cores: request.cores })
  return { source, empty: false, work: { full: plan, prepared, timings }, completes, argsFor, carried, aimed, ...cannot }
}
