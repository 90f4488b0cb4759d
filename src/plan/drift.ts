// Recorded times tell when a file no longer fits its tier; `xtest plan --drift` says which to move or split.

import type { ResultCell } from '../core/result-key.js'
import { TIERS, type Tier } from '../core/tiers.js'
import { plural } from '../shared/plural.js'
import type { Timings } from '../store/timings.js'
import { listWork } from './balance.js'
import type { Shard } from './types.js'

/**
 * Per-file budgets of the tiers, for drift only (timings are per file, so drift is too).
 * NOTE: a fast file should finish in seconds (fast runs on every push), a slow one in minutes (nightly);
 * superslow has no tier above it, so past its budget the advice is to split the file.
 */
const FILE_BUDGET_MS: Record<Tier, number> = { fast: 5_000, slow: 120_000, superslow: 1_800_000 }

/**
 * A slow or superslow file may move down a tier when it takes at most this fraction of the lower tier's budget
 * (slow ≤ 1 s, superslow ≤ 24 s). The margin keeps a file near a budget from flapping between tiers.
 */
const MOVE_DOWN_FRACTION = 0.2

export interface DriftEntry extends ResultCell<Tier> {
  /** Recorded time in ms. */
  ms: number
  kind: 'over-budget' | 'under-budget'
  /** The tier's budget (over) or the lower tier's threshold (under), in ms. */
  limitMs: number
  /** The tier to move it to; undefined when there is none (superslow over budget: split the file). */
  to?: Tier
}

/** Files of the shards whose recorded time no longer fits their tier, slowest first. */
export function findDrift(shards: readonly Shard[], timings: Timings): DriftEntry[] {
  const found: DriftEntry[] = []
  for (const item of listWork(shards)) {
    const ms = timings.entries[item.key]?.ms
    if (ms === undefined) continue
    const rank = TIERS.indexOf(item.tier)
    const base = { container: item.container, tier: item.tier, file: item.file, ms }
    if (ms > FILE_BUDGET_MS[item.tier]) {
      found.push({ ...base, kind: 'over-budget', limitMs: FILE_BUDGET_MS[item.tier], to: TIERS[rank + 1] })
      continue
    }
    const lower = TIERS[rank - 1]
    if (lower !== undefined && ms <= FILE_BUDGET_MS[lower] * MOVE_DOWN_FRACTION) {
      found.push({ ...base, kind: 'under-budget', limitMs: FILE_BUDGET_MS[lower] * MOVE_DOWN_FRACTION, to: lower })
    }
  }
  return found.sort((a, b) => b.ms - a.ms || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}

/** One line for the run summary, or undefined when nothing drifted. */
export function describeDrift(entries: readonly DriftEntry[]): string | undefined {
  if (entries.length === 0) return undefined
  const over = entries.filter((entry) => entry.kind === 'over-budget').length
  const under = entries.length - over
  const parts = [
    over > 0 ? `${plural(over, 'file')} slower than ${over === 1 ? 'its' : 'their'} tier's budget` : '',
    under > 0 ? `${plural(under, 'slow/superslow file')} fast enough to move down a tier` : '',
  ].filter(Boolean)
  return `tier drift: ${parts.join(', ')} (see xtest plan --drift)`
}
