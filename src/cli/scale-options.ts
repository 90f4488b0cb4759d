import type { ShardPart } from '../plan/shard-split.js'
import type { SliceSetting } from '../plan/slice-shards.js'
import { UsageError } from '../core/errors.js'

/** `--shard I/N` (1-based, as Vitest's): 1 ≤ I ≤ N. */
export function parseShardOption(value: unknown): ShardPart | undefined {
  if (value === undefined) return undefined
  const text = Array.isArray(value) ? value.join(' ') : String(value)
  const match = /^(\d+)\/(\d+)$/.exec(text.trim())
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || index < 1 || count < 1 || index > count) {
    throw new UsageError(`--shard expects I/N with 1 ≤ I ≤ N (e.g. --shard 2/4), got '${text}'`)
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

/** `--timings [FILE]` of `xtest merge`: true for the default file, else the file. */
export function parseTimingsOption(value: unknown): string | true | undefined {
  if (value === undefined || value === false) return undefined
  if (value === true || value === '') return true
  const file = String(value)
  // `xtest merge --timings a.xml b.xml` would take a.xml as the timings file and overwrite a report.
  if (file.endsWith('.xml')) {
    throw new UsageError(`--timings writes a JSON file, got '${file}' (write --timings after the input files, or --timings=FILE.json)`)
  }
  return file
}
