// The values that choose the work of `xtest plan` / `xtest run` (CLI flags or a library call's plain values), checked
// one by one: a bad one throws a UsageError naming the flag (exit 2) before any file is discovered.
import { UsageError } from '../core/errors.js'
import { TIERS, type Tier } from '../core/tiers.js'
import type { ShardPart } from './shard-split.js'
import type { SliceSetting } from './slice-shards.js'
/** `--tier fast|slow|superslow|all` → tiers; `all` = every tier. */
export function parseTierOption(value: unknown, fallback: Tier[]): Tier[] {
  if (value === undefined) return fallback
  const values = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','))
  if (values.includes('all')) return [...TIERS]
  for (const v of values) {
    if (!(TIERS as readonly string[]).includes(v)) {
      throw new UsageError(`unknown tier '${v}' (known: ${TIERS.join(', ')}, all)`)
    }
  }
  return TIERS.filter((t) => values.includes(t))
}

/** `--container NAME` (repeatable, or comma-separated) checked against the config's names when given. */
export function parseContainerOption(value: unknown, known?: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined
  const values = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter(Boolean)
  for (const v of values) {
    if (known && !known.includes(v)) throw new UsageError(`unknown container '${v}' (known: ${known.join(', ')})`)
  }
  return values
}

export function parsePositiveInt(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} expects a whole number ≥ 1, got '${String(value)}'`)
  return n
}

export function parseChoice<T extends string>(name: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if (!(choices as readonly string[]).includes(String(value))) {
    throw new UsageError(`--${name} expects one of ${choices.join(', ')}, got '${String(value)}'`)
  }
  return value as T
}

/** The most parts a plan is cut into: more CI jobs than that is a typo, and the split allocates per part. */
const MAX_SHARD_PARTS = 10_000

/** `--shard I/N` (1-based, as Vitest's): 1 ≤ I ≤ N ≤ MAX_SHARD_PARTS. */
export function parseShardOption(value: unknown): ShardPart | undefined {
  if (value === undefined) return undefined
  const text = Array.isArray(value) ? value.join(' ') : String(value)
  const match = /^(\d+)\/(\d+)$/.exec(text.trim())
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || index < 1 || count < 1 || index > count || count > MAX_SHARD_PARTS) {
    throw new UsageError(`--shard expects I/N with 1 ≤ I ≤ N ≤ ${MAX_SHARD_PARTS} (e.g. --shard 2/4), got '${text}'`)
  }
  return { index, count }
}

/** `--slices N|auto`. */
export function parseSlicesOption(value: unknown): SliceSetting | undefined {
  if (value === undefined) return undefined
  if (value === 'auto') return 'auto'
  const n = Number(value)
  if (Array.isArray(value) || !Number.isInteger(n) || n < 1) {
    throw new UsageError(`--slices expects a whole number ≥ 1 or 'auto', got '${String(value)}'`)
  }
  return n
}

/** `--changed [REF]`: true without a ref (uncommitted changes), else the ref. */
export function parseChangedOption(value: unknown): string | true | undefined {
  if (value === undefined || value === false) return undefined
  if (value === true || value === '') return true
  if (Array.isArray(value)) throw new UsageError('--changed takes at most one ref')
  // `--changed=--output=FILE` must never reach git as an option.
  if (String(value).startsWith('-')) throw new UsageError(`--changed expects a git ref, got '${String(value)}'`)
  return String(value)
}
