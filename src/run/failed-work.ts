// `xtest run --failed [REPORT]`: the work of a re-run of only what failed in an earlier report (default: the last
// run's merged report). Each failing (container, tier, file) cell runs again in its own container and tier, narrowed
// to the failing tests by a literal `--testNamePattern`. A failure that cannot be placed in today's plan (file moved
// or deleted, another project, outside --container/--tier, tied to no file) is not re-run and keeps the run red.
import path from 'node:path'
import { groupIntoShards } from '../plan/shard-split.js'
import type { WorkItem } from '../plan/balance.js'
import { planProject } from '../plan/io/plan-project.js'
import type { Shard } from '../plan/types.js'
import { TIERS, type Tier } from '../core/tiers.js'
import { shardId } from '../core/shard.js'
import { resultKey } from '../core/result-key.js'
import { readJUnit } from '../report/index.js'
import { failedCells, runsOfReport, type FailedSelection } from '../report/failed-cells.js'
import { synthesizeNotRerun } from '../report/synthesize.js'
import { DEFAULT_LIMITS, type ReportSuite } from '../report/types.js'
import { testNamePattern } from './name-pattern.js'
import { preparePlan } from '../plan/prepare.js'
import { loadTimings, timingsPathOf } from '../plan/io/timings-store.js'
import { UsageError } from '../core/errors.js'
import type { Work } from '../plan/work.js'
import type { RunRequest } from './request.js'

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

/** The request's --failed report (checked combinations: request.ts) → the cells to run again. */
export async function prepareFailed(request: RunRequest & { failed: string }): Promise<FailedWork> {
  const { config, containers, tiers, warn, failed: source } = request
  const read = await readJUnit(source)
  const shown = path.relative(process.cwd(), source) || source
  if (!read.ok) {
    const why =
      read.kind === 'missing'
        ? 'no such report (run xtest run first, or name a report)'
        : `not a usable JUnit report (${read.kind}): ${read.message}`
    throw new UsageError(`--failed ${shown}: ${why}`, 'XTEST_FAILED_REPORT')
  }
  const completes = runsOfReport(read.value.report).join(',') || path.basename(source)
  const full = await planProject(config)
  const planned = new Set(full.shards.flatMap((shard) => shard.files.map((file) => resultKey(shard.container, shard.tier, file))))
  const {
    items,
    names,
    unplaced,
    aimed: cells,
  } = placeFailed(failedCells(read.value.report), planned, { ...(containers && { containers }), tiers })
  const carried = unplaced.map((each) => synthesizeNotRerun({ ...each, source: shown, maxTextBytes: DEFAULT_LIMITS.maxTextBytes }))
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
