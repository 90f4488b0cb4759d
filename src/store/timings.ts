// `.xtest/timings.json`, the durations the planner balances shards by: its format, how samples fold in, and how it is
// read and written (through files.ts: bounded, no link followed but a --timings FILE's own, written whole under a lock).
import path from 'node:path'
import { fail, ok, parseJson, type Result } from '../core/result.js'
import { type ResultCell, resultKey } from '../core/result-key.js'
import type { Tier } from '../core/tiers.js'
import { writeOutput } from '../shared/write-output.js'
import { type LockOptions, readStored, underLock } from './files.js'

/** One recorded duration: a test file's time in one (container, tier). */
export interface TimingSample extends ResultCell<Tier> {
  ms: number
}

/** What `.xtest/timings.json` holds for one (container, tier, file). */
interface TimingEntry {
  /** Smoothed duration in ms: half the old value plus half the newest sample. */
  ms: number
  /** How many runs fed it. */
  runs: number
  /** When it was last seen (ISO): the oldest entries go first when the file is full. */
  seen: string
}

/**
 * `.xtest/timings.json`: `{ version: 1, updatedAt, entries: { "<container>/<tier>/<file>": { ms, runs, seen } } }`.
 * Keys are the merged report's suite names, so a report made anywhere can feed it.
 */
export interface Timings {
  version: 1
  updatedAt: string
  entries: Record<string, TimingEntry>
}

/** Entries kept at most; past it the least recently seen are dropped. About 100 bytes each. */
const MAX_TIMING_ENTRIES = 20_000

export const emptyTimings = (): Timings => ({ version: 1, updatedAt: new Date(0).toISOString(), entries: {} })

/** Parses the file's text; a problem is returned as one line, never thrown (a corrupt file must not stop a run). */
export function parseTimings(text: string): Result<Timings> {
  const json = parseJson(text)
  if (!json.ok) return json
  const data = json.value
  if (!isRecord(data) || data.version !== 1 || !isRecord(data.entries)) return fail('not a version 1 timings file')
  const entries: Record<string, TimingEntry> = {}
  for (const [key, value] of Object.entries(data.entries)) {
    if (!isRecord(value) || !isDuration(value.ms)) return fail(`entry '${key}' has no valid ms`)
    entries[key] = {
      ms: value.ms,
      runs: typeof value.runs === 'number' && value.runs >= 1 ? Math.floor(value.runs) : 1,
      seen: typeof value.seen === 'string' ? value.seen : new Date(0).toISOString(),
    }
  }
  return ok({ version: 1, updatedAt: typeof data.updatedAt === 'string' ? data.updatedAt : new Date(0).toISOString(), entries })
}

/**
 * Folds new samples into the timings. The same key twice in one batch (a file run in two slices is not possible,
 * but two reports of one run may repeat it) counts once, with the larger time.
 */
export function mergeTimings(timings: Timings, samples: readonly TimingSample[], now: Date, limit = MAX_TIMING_ENTRIES): Timings {
  const batch = new Map<string, number>()
  for (const sample of samples) {
    if (!isDuration(sample.ms)) continue
    const key = resultKey(sample.container, sample.tier, sample.file)
    batch.set(key, Math.max(batch.get(key) ?? 0, sample.ms))
  }
  const seen = now.toISOString()
  const entries: Record<string, TimingEntry> = { ...timings.entries }
  for (const [key, ms] of batch) {
    const old = entries[key]
    entries[key] =
      old === undefined ? { ms: Math.round(ms), runs: 1, seen } : { ms: Math.round((old.ms + ms) / 2), runs: old.runs + 1, seen }
  }
  return { version: 1, updatedAt: seen, entries: boundEntries(entries, limit) }
}

// Keeps the `limit` most recently seen entries (ties: by key), so the file cannot grow without end.
function boundEntries(entries: Record<string, TimingEntry>, limit: number): Record<string, TimingEntry> {
  const keys = Object.keys(entries)
  if (keys.length <= limit) return sortKeys(entries)
  const kept = keys
    .sort((a, b) => (entries[b]!.seen < entries[a]!.seen ? -1 : entries[b]!.seen > entries[a]!.seen ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .slice(0, limit)
  return sortKeys(Object.fromEntries(kept.map((key) => [key, entries[key]!])))
}

// Sorted keys keep the file diffable and its bytes independent of the order runs finished in.
function sortKeys(entries: Record<string, TimingEntry>): Record<string, TimingEntry> {
  return Object.fromEntries(
    Object.keys(entries)
      .sort()
      .map((key) => [key, entries[key]!]),
  )
}

/** The recorded time of one (container, tier, file), if any. */
export function timingOf(timings: Timings, container: string, tier: Tier, file: string): number | undefined {
  return timings.entries[resultKey(container, tier, file)]?.ms
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

/** Bytes read at most: MAX_TIMING_ENTRIES entries of a long path each. */
const MAX_FILE_BYTES = 64 * 1024 * 1024

/** `<outputDir>/timings.json` of a config. */
export function timingsPathOf(config: { root: string; outputDir: string }): string {
  return path.resolve(config.root, config.outputDir, 'timings.json')
}

/** Reads the timings; a missing file is empty, a corrupt one is empty plus a warning (never a crash). */
export function loadTimings(file: string, warn: (line: string) => void = () => {}): Timings {
  const read = readStored(file, MAX_FILE_BYTES, true)
  if (!read.ok) warn(`cannot read ${file} (${read.message}); balancing without timings`)
  if (!read.ok || read.value === undefined) return emptyTimings()
  const parsed = parseTimings(read.value)
  if (parsed.ok) return parsed.value
  warn(`${file} is corrupt (${parsed.message}); ignoring it, the next run rewrites it`)
  return emptyTimings()
}

export interface RecordOptions extends LockOptions {
  now?: Date
  warn?: (line: string) => void
}

/**
 * Folds samples into the timings file under its lock: re-read, merge, write whole (a --timings FILE as
 * write-output.ts writes a path the user named). Readers never see a partial file; two runs finishing at once both
 * land. Returns what it wrote (undefined without samples), so the caller needs no second read.
 */
export async function recordTimings(
  file: string,
  samples: readonly TimingSample[],
  options: RecordOptions = {},
): Promise<Timings | undefined> {
  if (samples.length === 0) return undefined
  const warn = options.warn ?? (() => {})
  return underLock(file, 'recording timings', warn, options, async () => {
    const merged = mergeTimings(loadTimings(file, warn), samples, options.now ?? new Date())
    await writeOutput(file, `${JSON.stringify(merged, null, 1)}\n`)
    return merged
  })
}
