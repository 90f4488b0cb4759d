// The result cache on disk: one JSON file per (config, container, tier, test file), the latest passing result of that
// file with the key it was produced under. Written atomically (a fresh temp file, then a rename), read as data (no
// link followed, size-capped, shape checked: a corrupt entry is ignored and counted for one warning), bounded by a
// size cap with least-recently-used eviction (a hit touches its entry's mtime).
import fs from 'node:fs'
import path from 'node:path'
import type { ReportSuite } from '../../report/types.js'
import { readRegularFile, writeFreshFile } from '../../core/safe-fs.js'
import type { BaseParts } from './cache-key.js'
import { sha256 } from './file-hash.js'

export const ENTRY_VERSION = 1
const MAX_ENTRY_BYTES = 16 * 1024 * 1024
/** Default size cap; XTEST_CACHE_MAX_MB changes it. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024

export interface CacheEntry {
  version: typeof ENTRY_VERSION
  container: string
  tier: string
  /** Relative to the config root. */
  file: string
  runId: string
  createdAt: string
  base: BaseParts
  /** Repository-relative path → content hash: the test file and every module it loaded. */
  modules: Record<string, string>
  /** Its other inputs (observed-inputs.ts): `read:`, `list:`, `stat:`, `env:` keys → the host's value. */
  inputs: Record<string, string>
  /** A pass that may not be reused, and why (it spawned a process, read outside the repository, ...). */
  uncacheable?: string
  suite: ReportSuite
}

export interface EntryAddress {
  configRel: string
  container: string
  tier: string
  file: string
}

export class ResultStore {
  /** Entries that could not be read as an entry this run (one warning at the end). */
  corrupt = 0

  constructor(
    readonly dir: string,
    readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  pathOf(address: EntryAddress): string {
    return path.join(this.dir, `${sha256(JSON.stringify(address)).slice(0, 40)}.json`)
  }

  read(address: EntryAddress): CacheEntry | undefined {
    const read = readRegularFile(this.pathOf(address), MAX_ENTRY_BYTES)
    if (!read.ok) {
      if (read.kind !== 'missing') this.corrupt++
      return undefined
    }
    try {
      const entry = JSON.parse(read.value.toString('utf8')) as unknown
      if (isEntry(entry, address)) return entry
    } catch {
      /* counted below */
    }
    this.corrupt++
    return undefined
  }

  /** Marks an entry as just used, for the least-recently-used eviction. */
  touch(address: EntryAddress): void {
    const now = new Date()
    try {
      fs.utimesSync(this.pathOf(address), now, now)
    } catch {
      /* gone: nothing to keep */
    }
  }

  write(address: EntryAddress, entry: CacheEntry): void {
    fs.mkdirSync(this.dir, { recursive: true })
    writeFreshFile(this.pathOf(address), JSON.stringify(entry))
  }

  /** Entries (regular `*.json` files) with their size and last use, oldest first. */
  list(): Array<{ file: string; bytes: number; usedMs: number }> {
    let names: string[]
    try {
      names = fs.readdirSync(this.dir)
    } catch {
      return []
    }
    const entries: Array<{ file: string; bytes: number; usedMs: number }> = []
    for (const name of names) {
      if (!/^[0-9a-f]{40}\.json$/.test(name)) continue
      try {
        const stat = fs.lstatSync(path.join(this.dir, name))
        if (stat.isFile()) entries.push({ file: path.join(this.dir, name), bytes: stat.size, usedMs: stat.mtimeMs })
      } catch {
        /* removed meanwhile */
      }
    }
    return entries.sort((a, b) => a.usedMs - b.usedMs)
  }

  /** Removes the least recently used entries until the rest fit the cap; returns how many went. */
  evict(): number {
    const entries = this.list()
    let total = entries.reduce((sum, entry) => sum + entry.bytes, 0)
    let removed = 0
    for (const entry of entries) {
      if (total <= this.maxBytes) break
      fs.rmSync(entry.file, { force: true })
      total -= entry.bytes
      removed++
    }
    return removed
  }

  /** Removes every entry (and stray temp files); returns how many entries went. */
  clean(): number {
    const count = this.list().length
    fs.rmSync(this.dir, { recursive: true, force: true })
    return count
  }
}

/** The cache folder: XTEST_CACHE_DIR, else `results/` in xtest's cache folder of the nearest node_modules. */
export function resultStoreOf(cacheDir: string | null, env: NodeJS.ProcessEnv): ResultStore | null {
  const dir = env.XTEST_CACHE_DIR ? path.resolve(env.XTEST_CACHE_DIR) : cacheDir && path.join(cacheDir, 'results')
  if (!dir) return null
  const mb = Number(env.XTEST_CACHE_MAX_MB)
  return new ResultStore(dir, Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : DEFAULT_MAX_BYTES)
}

const CASE_RESULTS = new Set(['passed', 'skipped'])

// Only what a stored entry may hold: a passing suite of this address, string hashes.
function isEntry(value: unknown, address: EntryAddress): value is CacheEntry {
  const entry = value as Partial<CacheEntry> | null
  if (typeof entry !== 'object' || entry === null || entry.version !== ENTRY_VERSION) return false
  if (entry.container !== address.container || entry.tier !== address.tier || entry.file !== address.file) return false
  if (typeof entry.runId !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(entry.runId)) return false
  if (typeof entry.base !== 'object' || entry.base === null || !Object.values(entry.base).every((v) => typeof v === 'string')) return false
  for (const map of [entry.modules, entry.inputs])
    if (typeof map !== 'object' || map === null || !Object.values(map).every((v) => typeof v === 'string')) return false
  if (entry.uncacheable !== undefined && typeof entry.uncacheable !== 'string') return false
  const suite = entry.suite
  if (
    typeof suite !== 'object' ||
    suite === null ||
    suite.name !== `${address.container}/${address.tier}/${address.file}` ||
    !Array.isArray(suite.cases)
  )
    return false
  if (!Array.isArray(suite.properties) || !suite.properties.every((p) => typeof p?.name === 'string' && typeof p.value === 'string'))
    return false
  return suite.cases.every(
    (c) =>
      typeof c === 'object' &&
      c !== null &&
      typeof c.name === 'string' &&
      typeof c.classname === 'string' &&
      CASE_RESULTS.has(c.result) &&
      Array.isArray(c.properties),
  )
}
