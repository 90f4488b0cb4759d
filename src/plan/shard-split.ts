// `--shard I/N`: this machine's part of the work, so N CI jobs split one plan without talking to each other.

import { shardId } from '../core/shard.js'
import { balanceWork, compareText, listWork, type Weights, type WorkItem } from './balance.js'
import type { Shard } from './types.js'

/** `--shard I/N`: part `index` (1-based, as Vitest's) of `count`. */
export interface ShardPart {
  index: number
  count: number
}

/** One of the N parts, for `xtest plan --shard` and the run's summary line. */
export interface PartSummary {
  index: number
  /** (container, tier, file) items in the part. */
  files: number
  expectedMs: number
}

export interface SplitResult {
  /** The shards of the chosen part: the plan's (container, tier) units, each with the part's files only. */
  shards: Shard[]
  parts: PartSummary[]
}

/**
 * Splits the shards' (container, tier, file) items over `count` machines, balanced by `weights`, and keeps
 * part `index`. Every item lands in exactly one part; the same items and weights give the same parts on every
 * machine, which is what lets N CI jobs agree without talking to each other.
 */
export function splitShards(shards: readonly Shard[], weights: Weights, part: ShardPart): SplitResult {
  const items = listWork(shards)
  const balance = balanceWork(
    items.map((item) => item.key),
    weights,
    part.count,
  )
  const mine = new Set(balance.parts[part.index - 1] ?? [])
  return {
    shards: groupIntoShards(items.filter((item) => mine.has(item.key))),
    parts: balance.parts.map((keys, i) => ({ index: i + 1, files: keys.length, expectedMs: balance.loads[i]! })),
  }
}

/** Work items back into one shard per (container, tier), in the order the items came (the plan's shard order). */
export function groupIntoShards(items: readonly WorkItem[]): Shard[] {
  const shards = new Map<string, Shard>()
  for (const item of items) {
    const id = shardId(item.container, item.tier)
    let shard = shards.get(id)
    if (shard === undefined) shards.set(id, (shard = { id, container: item.container, tier: item.tier, files: [] }))
    shard.files.push(item.file)
  }
  for (const shard of shards.values()) shard.files.sort(compareText)
  return [...shards.values()]
}
