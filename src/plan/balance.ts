// Splitting work into parts of equal expected time (--shard, slices): the slowest file first onto the lightest part.

import { type ResultCell, resultKey } from '../core/result-key.js'
import type { Tier } from '../core/tiers.js'
import type { Timings } from '../store/timings.js'
import type { Shard } from './types.js'

/** One unit of work that `--shard` and slices move around: one file in one (container, tier). */
export interface WorkItem extends ResultCell<Tier> {
  /** `<container>/<tier>/<file>`, as in timings.json and the merged report. */
  key: string
}

/** Expected ms per work item key. */
export type Weights = Record<string, number>

/** Used when no file of the plan has a recorded time: every file counts the same. */
const UNTIMED_MS = 1000

/** The distinct work items of some shards, in shard order (slices of one shard fold back together). */
export function listWork(shards: readonly Shard[]): WorkItem[] {
  const items = new Map<string, WorkItem>()
  for (const shard of shards) {
    for (const file of shard.files) {
      const key = resultKey(shard.container, shard.tier, file)
      if (!items.has(key)) items.set(key, { key, container: shard.container, tier: shard.tier, file })
    }
  }
  return [...items.values()]
}

/**
 * Expected time of each item: its recorded time, else the median of the recorded times of the other items
 * (UNTIMED_MS when none has one). Rounded to two significant digits, so that the jitter between two runs of an
 * unchanged suite rarely moves a file to another part.
 */
export function weighWork(items: readonly WorkItem[], timings: Timings): { weights: Weights; timed: number; medianMs: number } {
  const known = items.map((item) => timings.entries[item.key]?.ms).filter((ms): ms is number => ms !== undefined)
  const medianMs = known.length === 0 ? UNTIMED_MS : median(known)
  const weights: Weights = {}
  for (const item of items) weights[item.key] = roundTwoDigits(timings.entries[item.key]?.ms ?? medianMs)
  return { weights, timed: known.length, medianMs }
}

/** The result of splitting items into `count` parts. */
export interface Balance {
  /** Item keys of each part, sorted. */
  parts: string[][]
  /** Expected ms of each part (sum of its weights). */
  loads: number[]
}

/**
 * Longest processing time first: items by weight (heaviest first, ties by key), each to the part with the
 * least load so far (ties: the lowest index). Deterministic for the same keys and weights, whatever their order.
 * NOTE: LPT's makespan is within 4/3 of the optimum (Graham 1969), and far closer with many small items.
 */
export function balanceWork(keys: readonly string[], weights: Weights, count: number): Balance {
  const parts: string[][] = Array.from({ length: count }, () => [])
  const loads: number[] = new Array<number>(count).fill(0)
  const order = [...new Set(keys)].sort((a, b) => (weights[b] ?? 0) - (weights[a] ?? 0) || compareText(a, b))
  for (const key of order) {
    let best = 0
    for (let i = 1; i < count; i++) if (loads[i]! < loads[best]!) best = i
    parts[best]!.push(key)
    loads[best]! += weights[key] ?? 0
  }
  for (const part of parts) part.sort(compareText)
  return { parts, loads }
}

/** Code-unit order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function roundTwoDigits(ms: number): number {
  if (!(ms > 1)) return 1
  return Math.max(1, Math.round(Number(ms.toPrecision(2))))
}
