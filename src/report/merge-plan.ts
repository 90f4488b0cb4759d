// `xtest merge --plan plan.json parts…`: checks the parts of a split against the plan they were cut from. Every
// planned (container, tier, file) is reported or gets a synthetic error naming the part that should have held it;
// parts of another plan or another split stop the merge (exit 2); a part given twice is counted once, with a note.
// Parts own their cells: a suite for a planned file counts only from the part the plan gave that file to.

import { ConfigError } from '../core/errors.js'
import { sanitizeText } from '../core/xml-text.js'
import type { Weights } from '../plan/balance.js'
import { listWork } from '../plan/balance.js'
import { splitShards } from '../plan/shard-split.js'
import type { Shard } from '../plan/types.js'
import { PART, PLAN_HASH, parsePart, propertyOf } from './run-properties.js'
import type { JUnitReport, ReportSuite } from './types.js'

/** The plan the parts were cut from: a run folder's plan.json or one written by `xtest plan --save`. */
export interface MergePlan {
  /** Where it came from, for messages. */
  source: string
  hash: string
  shards: readonly Shard[]
  /** Needed to recompute the parts when there are more than one. */
  weights?: Weights
  /** N, when the plan was recorded by a part (its `shard`): used when no part says it. */
  count?: number
}

export interface PartReport {
  path: string
  report: JUnitReport
}

interface PartIdentity {
  hashes: Set<string>
  parts: Set<string>
}

const MAX_LISTED = 8
const short = (hash: string): string => hash.slice(0, 19)

function identify(report: JUnitReport): PartIdentity {
  const hashes = new Set<string>()
  const parts = new Set<string>()
  for (const suite of report.suites) {
    const hash = propertyOf(suite, PLAN_HASH)
    if (hash !== undefined) hashes.add(hash)
    const part = parsePart(propertyOf(suite, PART))
    if (part !== undefined) parts.add(`${part.index}/${part.count}`)
  }
  return { hashes, parts }
}

const listed = (items: readonly string[]): string =>
  items.slice(0, MAX_LISTED).join(', ') + (items.length > MAX_LISTED ? ` and ${items.length - MAX_LISTED} more` : '')

/**
 * Checks that the parts come from one plan and one split. Throws ConfigError (exit 2) naming them when not.
 * Returns N (the parts' count), the parts present, and notes (duplicates, unchecked files).
 */
export function checkParts(
  parts: readonly PartReport[],
  plan: MergePlan | undefined,
): { count?: number; present: Set<number>; planHash?: string; notes: string[] } {
  const notes: string[] = []
  const byHash = new Map<string, string[]>()
  if (plan) byHash.set(plan.hash, [`--plan ${plan.source}`])
  const byPart = new Map<string, string[]>()
  const unchecked: string[] = []
  for (const { path, report } of parts) {
    const { hashes, parts: ids } = identify(report)
    if (hashes.size === 0) unchecked.push(path)
    for (const hash of hashes) byHash.set(hash, [...(byHash.get(hash) ?? []), path])
    for (const id of ids) byPart.set(id, [...(byPart.get(id) ?? []), path])
  }
  if (byHash.size > 1) {
    const which = [...byHash].map(([hash, files]) => `${listed(files)} (plan ${short(hash)})`)
    throw new ConfigError(`the parts come from different plans: ${which.join('; ')}`, 'XTEST_MERGE_PLANS', {
      hint: 'every part of one split must be cut from the same plan: give all of them the same plan.json (xtest run --plan plan.json --shard I/N)',
    })
  }
  const counts = new Set([...byPart.keys()].map((id) => Number(id.split('/')[1])))
  if (counts.size > 1) {
    const which = [...byPart].map(([id, files]) => `${listed(files)} (part ${id})`)
    throw new ConfigError(`the parts come from different splits: ${which.join('; ')}`, 'XTEST_MERGE_PLANS')
  }
  // Reports of other tools carry no plan hash: worth a note only next to parts that do.
  if (byHash.size > 0) for (const path of unchecked) notes.push(`${path} carries no plan hash: it was not checked against the plan`)
  for (const [id, files] of byPart) {
    if (files.length > 1)
      notes.push(
        `part ${id} was given ${files.length} times (${listed(files)}): its results are counted once, the worst copy of each test kept`,
      )
  }
  const [count] = counts
  const present = new Set([...byPart.keys()].map((id) => Number(id.split('/')[0])))
  const [planHash] = byHash.keys()
  return { ...(count !== undefined && { count }), present, ...(planHash !== undefined && { planHash }), notes }
}

const MISPLACED = 'xtest.misplaced'

/** N: from the parts, else the plan, else 1. Throws when N > 1 parts cannot be recomputed. */
function partCount(plan: MergePlan, count: number | undefined): number {
  const n = count ?? plan.count ?? 1
  if (n > 1 && plan.weights === undefined) {
    throw new ConfigError(
      `--plan ${plan.source} has no weights, so its ${n} parts cannot be recomputed (use a run folder's plan.json or one written by xtest plan --save)`,
      'XTEST_PLAN_FILE',
    )
  }
  return n
}

type PartItems = Array<{ part: string; index: number; items: ReturnType<typeof listWork> }>
// One split per plan and N, however many steps of a merge ask for it.
const splits = new WeakMap<MergePlan, Map<number, PartItems>>()

/** Each part's planned items, in plan order. */
function itemsByPart(plan: MergePlan, n: number): PartItems {
  const known = splits.get(plan) ?? new Map<number, PartItems>()
  splits.set(plan, known)
  let parts = known.get(n)
  if (parts === undefined) {
    parts = Array.from({ length: n }, (_, i) => {
      const index = i + 1
      const items = n === 1 ? listWork(plan.shards) : listWork(splitShards(plan.shards, plan.weights!, { index, count: n }).shards)
      return { part: `${index}/${n}`, index, items }
    })
    known.set(n, parts)
  }
  return parts
}

/**
 * Drops every suite of a planned (container, tier, file) that a part reported although the plan gives that file to
 * another part (a test can write a result for any file): only the owner's result counts, and an owner that did not
 * report it stays missing. Suites of a report with no part (not a `--shard` part) are left as they are.
 * Returns the parts without those suites and, per dropped key, the parts that carried it.
 */
export function dropMisplaced(
  parts: readonly PartReport[],
  plan: MergePlan,
  count: number | undefined,
): { parts: PartReport[]; misplaced: Map<string, string[]> } {
  const n = partCount(plan, count)
  const owner = new Map<string, number>()
  for (const { index, items } of itemsByPart(plan, n)) for (const item of items) owner.set(item.key, index)
  const misplaced = new Map<string, string[]>()
  const kept = parts.map(({ path, report }) => {
    const ids = identify(report).parts
    const whole = ids.size === 1 ? parsePart([...ids][0]) : undefined
    const suites = report.suites.filter((suite) => {
      const planned = owner.get(suite.name)
      const part = parsePart(propertyOf(suite, PART)) ?? whole
      if (planned === undefined || part === undefined || part.index === planned) return true
      misplaced.set(suite.name, [...new Set([...(misplaced.get(suite.name) ?? []), `${part.index}/${part.count}`])])
      return false
    })
    return { path, report: { ...report, suites } }
  })
  return { parts: kept, misplaced }
}

/** The dropped copies, said on the suite that holds the file's result (or its part_missing case), and one note. */
export function noteMisplaced(
  suites: readonly ReportSuite[],
  misplaced: ReadonlyMap<string, string[]>,
  plan: MergePlan,
  count: number | undefined,
): { suites: ReportSuite[]; notes: string[] } {
  if (misplaced.size === 0) return { suites: [...suites], notes: [] }
  const n = partCount(plan, count)
  const ownerPart = new Map<string, string>()
  for (const { part, items } of itemsByPart(plan, n)) for (const item of items) ownerPart.set(item.key, part)
  const say = (key: string): string =>
    `part ${misplaced.get(key)!.join(', ')} reported ${key}, which the plan gives to part ${ownerPart.get(key) ?? '?'}: that result was dropped`
  const marked = suites.map((suite) => {
    if (!misplaced.has(suite.name)) return suite
    const line = say(suite.name)
    return {
      ...suite,
      properties: [...suite.properties, { name: MISPLACED, value: line }],
      systemOut: [suite.systemOut, `[xtest] ${line}`].filter((text) => text !== undefined && text !== '').join('\n'),
    }
  })
  const keys = [...misplaced.keys()]
  const note = `plan ${short(plan.hash)}: ${keys.length} suite(s) came from a part the plan did not give them to and were dropped (only the owning part's result counts): ${listed(keys.map(say))}`
  return { suites: marked, notes: [note] }
}

/**
 * For every planned item the merged suites lack: a suite `<container>/<tier>/<file>` with one error case naming the
 * part that should have reported it. `count` is N (from the parts, else the plan, else 1).
 */
export function synthesizeMissingParts(
  merged: readonly ReportSuite[],
  plan: MergePlan,
  count: number | undefined,
  present: ReadonlySet<number>,
  maxTextBytes: number,
): { suites: ReportSuite[]; notes: string[] } {
  const reported = new Set(merged.map((suite) => suite.name))
  const planned = new Set<string>()
  const suites: ReportSuite[] = []
  const missingParts: string[] = []
  for (const { part, index, items } of itemsByPart(plan, partCount(plan, count))) {
    const cause = present.has(index) ? `part ${part} has no result for this file in its report` : `part ${part} uploaded no report`
    let lost = 0
    for (const item of items) {
      planned.add(item.key)
      if (reported.has(item.key)) continue
      lost++
      suites.push(missingSuite(item, part, plan.hash, cause, maxTextBytes))
    }
    if (lost > 0) missingParts.push(`${cause}: ${lost} planned file(s) have no result`)
  }
  const unplanned = merged.filter((suite) => suite.file !== undefined && !planned.has(suite.name)).length
  const notes = [...missingParts.map((line) => `plan ${short(plan.hash)}: ${line}`)]
  if (unplanned > 0) notes.push(`plan ${short(plan.hash)}: ${unplanned} reported file suite(s) are not in the plan; kept as they are`)
  return { suites, notes }
}

function missingSuite(
  item: { container: string; tier: string; file: string; key: string },
  part: string,
  planHash: string,
  cause: string,
  maxTextBytes: number,
): ReportSuite {
  const message = sanitizeText(`no result for ${item.file}: ${cause}`, maxTextBytes)
  return {
    name: item.key,
    file: item.file,
    time: 0,
    properties: [
      { name: 'container', value: item.container },
      { name: 'tier', value: item.tier },
      { name: 'status', value: 'report-malformed' },
      { name: 'cause', value: cause },
      { name: PART, value: part },
      { name: PLAN_HASH, value: planHash },
    ],
    cases: [
      {
        classname: item.key,
        name: '[xtest] part_missing',
        time: 0,
        result: 'error',
        fault: { type: 'xtest.part_missing', message, body: `${message}\nThe plan (${planHash}) put this file in part ${part}.` },
        properties: [],
      },
    ],
  }
}
