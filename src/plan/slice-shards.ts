// Slices: one shard split into concurrent Vitest processes when its recorded time says that pays for the start-up.

import { resultKey } from '../core/result-key.js'
import { shardId } from '../core/shard.js'
import { balanceWork, listWork, type Weights } from './balance.js'
import type { Shard } from './types.js'

/** `slices` of a container (config or `--slices`): a count, or `auto`. */
export type SliceSetting = number | 'auto'

/**
 * A slice shorter than this is not worth its own Vitest process (start-up costs about a second): `auto`
 * makes no more slices than the shard's expected time divided by it.
 */
const MIN_SLICE_MS = 5000

export interface SliceInput {
  shards: readonly Shard[]
  /** The setting of each container (undefined: one slice). */
  sliceOf(container: string): SliceSetting | undefined
  weights: Weights
  /** Item keys with a recorded time: `auto` trusts the expected time only when some file of the shard has one. */
  timed: ReadonlySet<string>
  /** Cores of this machine. */
  cores: number
}

/**
 * `auto` = min(cores, files, ceil(expected time / MIN_SLICE_MS)), the last term only when the shard has recorded
 * times. A number is capped at the file count. 1 means no slicing.
 */
export function resolveSliceCount(setting: SliceSetting, files: number, expectedMs: number | undefined, cores: number): number {
  if (files === 0) return 1
  if (setting !== 'auto') return Math.max(1, Math.min(setting, files))
  const byTime = expectedMs === undefined ? Infinity : Math.max(1, Math.ceil(expectedMs / MIN_SLICE_MS))
  return Math.max(1, Math.min(cores, files, byTime))
}

/**
 * Splits each shard of a container with `slices` into that many concurrent shards on this machine, balanced by
 * the same longest-first rule as `--shard`. A slice's id is `<container>.<tier>.<slice>` (1-based) and names its
 * run folder; a shard that ends up with one slice keeps its plain id. A slice already (a `--plan` file from
 * `xtest plan --json`) stays as it is: cutting it again would give two slices one id.
 */
export function sliceShards(input: SliceInput): Shard[] {
  return input.shards.flatMap((shard) => {
    const setting = input.sliceOf(shard.container)
    if (setting === undefined || shard.files.length < 2 || shard.slice !== undefined) return [shard]
    const keys = listWork([shard]).map((item) => item.key)
    const expectedMs = keys.some((key) => input.timed.has(key)) ? keys.reduce((sum, key) => sum + (input.weights[key] ?? 0), 0) : undefined
    const count = resolveSliceCount(setting, shard.files.length, expectedMs, input.cores)
    if (count <= 1) return [{ ...shard, files: [...shard.files] }]
    const prefix = resultKey(shard.container, shard.tier, '')
    const parts = balanceWork(keys, input.weights, count).parts.filter((part) => part.length > 0)
    return parts.map(
      (part, i): Shard => ({
        id: shardId(shard.container, shard.tier, i + 1),
        container: shard.container,
        tier: shard.tier,
        slice: i + 1,
        slices: parts.length,
        files: part.map((key) => key.slice(prefix.length)),
      }),
    )
  })
}
