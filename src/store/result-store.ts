// The result cache on disk, content-addressed: an entry's file name is its full key (which test file, and a hash of
// everything the result depends on that is known before the lookup: image, versions, config, env, ...) plus a hash of
// what the entry recorded (the modules it loaded). So the results of one file under several runtimes, images or envs
// live side by side. Entries are written atomically (a fresh temp file, then a rename) and read as data (no link
// followed, size-capped, shape checked); with XTEST_CACHE_SECRET each carries an HMAC over its key and bytes, and an
// entry without a valid one is ignored. A size cap with least-recently-used eviction bounds the folder, and only
// files xtest wrote (recognised by name and content) are ever removed.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { UsageError } from '../core/errors.js'
import type { ReportSuite } from '../core/junit-report.js'
import { type ResultCell, resultKey } from '../core/result-key.js'
import { headOfOwnFile, lstatOf, namesIn, ownFolderProblem, readStored, writeInFolder } from './files.js'

/** Part name → hash, in the order a miss is explained (made by run/cache/cache-key.ts). */
export interface BaseParts {
  image: string
  versions: string
  config: string
  vitestConfig: string
  env: string
  args: string
  lockfile: string
  inputs: string
}

export const ENTRY_VERSION = 1
const MAX_ENTRY_BYTES = 16 * 1024 * 1024
/** Default size cap; XTEST_CACHE_MAX_MB changes it. */
const DEFAULT_MAX_BYTES = 256 * 1024 * 1024
/** Entries kept per key (the same key with different module contents: a branch switch, a revert). */
const VARIANTS_PER_KEY = 4
/** A temp file older than this is a writer's leftover (a crash between create and rename). */
const STALE_TEMP_MS = 60 * 60 * 1000
const MIN_SECRET_CHARS = 16

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

/** The test file an entry is for. With the base parts it makes the entry's full key. */
export interface EntryAddress extends ResultCell {
  configRel: string
}

/** What a lookup found: entries of the key (newest first), else the newest entry of the file (it explains the miss). */
export interface Lookup {
  entries: CacheEntry[]
  /** Why entries were passed over (unsigned, unreadable, a refused folder), for `xtest plan --files`. */
  ignored?: string
}

// `xtest-result-cache 2 <hmac-sha256 hex | unsigned>` on the first line, the entry's JSON after it.
const MAGIC = 'xtest-result-cache 2 '
const UNSIGNED = 'unsigned'
const HEADER = /^xtest-result-cache 2 ([0-9a-f]{64}|unsigned)$/
const ENTRY_NAME = /^([0-9a-f]{32})-([0-9a-f]{32})-([0-9a-f]{16})\.result$/
// Entries of the store before it was content-addressed: one per file, replaced by the new ones as files pass.
const LEGACY_NAME = /^[0-9a-f]{40}\.json$/
const LEGACY_MAGIC = '{"version":1,"container":'
// writeFreshFile's temp files: `<target>.<pid>.<random>.tmp`.
const TEMP_NAME = /^([0-9a-f]{32}-[0-9a-f]{32}-[0-9a-f]{16}\.result|[0-9a-f]{40}\.json)\.\d+\.[0-9a-z]{1,8}\.tmp$/

const digest = (value: unknown, chars: number): string =>
  crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, chars)
const fileDigest = (address: EntryAddress): string => digest(['file', address], 32)
/** The full key of a lookup: the test file and every part of its key known before the entry is read. */
const keyDigest = (address: EntryAddress, base: BaseParts): string => digest(['key', address, base], 32)
// What an entry recorded (everything but the result itself and when it was made): its modules and their hashes.
const variantDigest = (entry: CacheEntry): string => {
  const { runId: _runId, createdAt: _createdAt, suite: _suite, ...recorded } = entry
  return digest(recorded, 16)
}

interface Listed {
  name: string
  file: string
  bytes: number
  usedMs: number
  kind: 'entry' | 'legacy' | 'temp'
}

export class ResultStore {
  /** Entries that could not be read as an entry this run (one warning at the end). */
  corrupt = 0
  /** Entries passed over because their HMAC was missing or wrong (with a secret set; one warning at the end). */
  untrusted = 0
  /** Why the folder is not used at all (a link, another user's, writable by everyone): one warning, no reads, no writes. */
  problem: string | undefined
  private index: Map<string, string[]> | undefined
  private checked = false
  private readonly paths = new WeakMap<CacheEntry, string>()
  /** Names of this run's unreadable or untrusted entries: replaced when their key is written. */
  private readonly bad = new Set<string>()
  private readonly secret: Buffer | undefined

  constructor(
    readonly dir: string,
    readonly maxBytes = DEFAULT_MAX_BYTES,
    secret?: string,
  ) {
    this.secret = secret ? Buffer.from(secret, 'utf8') : undefined
    this.problem = folderProblem(dir)
  }

  /** Whether entries are signed when written and must be signed to be read. */
  get signed(): boolean {
    return this.secret !== undefined
  }

  /** The entries stored under the full key (address + base), newest first; else the newest one of the file. */
  lookup(address: EntryAddress, base: BaseParts): Lookup {
    if (this.problem) return { entries: [], ignored: this.problem }
    const names = this.namesOf(address)
    if (names.length === 0) return { entries: [] }
    const key = keyDigest(address, base)
    const before = { corrupt: this.corrupt, untrusted: this.untrusted }
    const same = this.newestFirst(names.filter((name) => ENTRY_NAME.exec(name)![2] === key))
    const entries = this.readSome(same, address, VARIANTS_PER_KEY)
    // No entry under the key: the newest of the file says which part of the key changed.
    if (same.length === 0) entries.push(...this.readSome(this.newestFirst(names), address, 1))
    const ignored =
      this.untrusted > before.untrusted
        ? 'entry not signed with XTEST_CACHE_SECRET (ignored)'
        : this.corrupt > before.corrupt
          ? 'unreadable entry (ignored)'
          : undefined
    return ignored ? { entries, ignored } : { entries }
  }

  /** Every readable entry of the file under any key, newest first (for `--changed`: what its runs recorded). */
  entriesOf(address: EntryAddress, max = VARIANTS_PER_KEY): CacheEntry[] {
    if (this.problem) return []
    const names = this.newestFirst(this.namesOf(address))
    const found: CacheEntry[] = []
    for (const name of names) {
      if (found.length >= max) break
      const entry = this.readEntry(name, address)
      if (entry) found.push(entry)
    }
    return found
  }

  /** Marks an entry as just used, for the least-recently-used eviction (never through a link). */
  touch(entry: CacheEntry): void {
    const file = this.paths.get(entry)
    if (file !== undefined) this.touchFile(file)
  }

  // An entry file of the name being written, as good as a new one: marked as used.
  private keepsAsIs(name: string, address: EntryAddress, variant: string): boolean {
    if (!this.secret) return this.touchFile(path.join(this.dir, name))
    const kept = this.readEntry(name, address)
    if (kept === undefined || variantDigest(kept) !== variant) return false
    this.touch(kept)
    return true
  }

  // A regular file that is not empty, its times set to now (never through a link); false for anything else.
  private touchFile(file: string): boolean {
    const stat = lstatOf(file)
    if (!stat?.isFile() || stat.size === 0) return false
    const now = new Date()
    try {
      fs.lutimesSync(file, now, now)
      return true
    } catch {
      return false
    }
  }

  /**
   * Stores an entry under its full key (address + its base parts); signed when a secret is set. When a file of the very
   * same name (the same key and record: modules, inputs, base) is there already and was not found bad this run, it is
   * kept and marked as just used: the same code passed again. Unsigned, it is kept unread: a lookup proves an entry
   * before any use (header, shape, key, then every recorded hash against the files) and replaces a bad one, and
   * reading each one back cost a `--no-cache` run more than writing it. With a secret it is read and must be signed
   * with it (a run that turns signing on re-signs what it stores).
   */
  write(address: EntryAddress, entry: CacheEntry): void {
    if (!this.folderReady()) return
    const variant = variantDigest(entry)
    const name = `${fileDigest(address)}-${keyDigest(address, entry.base)}-${variant}.result`
    const names = this.namesOf(address)
    if (names.includes(name) && !this.bad.has(name) && this.keepsAsIs(name, address, variant)) {
      this.trimKey(names, name)
      return
    }
    const body = Buffer.from(JSON.stringify(entry), 'utf8')
    const tag = this.secret ? this.tagOf(name.slice(0, -'.result'.length), body) : UNSIGNED
    writeInFolder(path.join(this.dir, name), Buffer.concat([Buffer.from(`${MAGIC}${tag}\n`), body]))
    if (!names.includes(name)) names.push(name)
    this.trimKey(names, name)
  }

  // The folder made and checked once per store (a run writes hundreds of entries into it).
  private folderReady(): boolean {
    if (this.problem) return false
    if (!this.checked) {
      fs.mkdirSync(this.dir, { recursive: true })
      this.problem = folderProblem(this.dir)
      this.checked = this.problem === undefined
    }
    return this.checked
  }

  /** xtest's files in the folder (entries, older entries, temp files) with their size and last use, oldest first. */
  list(): Listed[] {
    if (this.problem) return []
    const listed: Listed[] = []
    for (const name of namesIn(this.dir)) {
      const kind = ENTRY_NAME.test(name) ? 'entry' : LEGACY_NAME.test(name) ? 'legacy' : TEMP_NAME.test(name) ? 'temp' : undefined
      const stat = kind && lstatOf(path.join(this.dir, name))
      if (stat?.isFile()) listed.push({ name, file: path.join(this.dir, name), bytes: stat.size, usedMs: stat.mtimeMs, kind: kind! })
    }
    return listed.sort((a, b) => a.usedMs - b.usedMs)
  }

  /** Removes dead files, then the least recently used entries until the rest fit the cap; returns how many entries went. */
  evict(): number {
    const listed = this.list()
    let total = listed.reduce((sum, each) => sum + each.bytes, 0)
    let removed = 0
    const now = Date.now()
    for (const each of listed) {
      // Older entries (one per file, never read now) and writers' stale temp files go whatever the size.
      const dead = each.kind === 'legacy' || (each.kind === 'temp' && now - each.usedMs > STALE_TEMP_MS)
      if (!dead && (each.kind === 'temp' || total <= this.maxBytes)) continue
      if (removeIfOurs(each.file, each.kind)) {
        total -= each.bytes
        if (each.kind !== 'temp') removed++
      }
    }
    this.index = undefined
    return removed
  }

  /** Removes every file xtest wrote here (recognised by name and content), nothing else; returns how many entries went. */
  clean(): number {
    let removed = 0
    for (const each of this.list()) if (removeIfOurs(each.file, each.kind) && each.kind !== 'temp') removed++
    this.index = undefined
    return removed
  }

  /** One line for the end of a run: entries passed over, or a folder not used. */
  warning(): string | undefined {
    if (this.problem) return this.problem
    const parts: string[] = []
    const n = (count: number, what: string) => `${count} ${what}${count === 1 ? 'y' : 'ies'}`
    if (this.untrusted > 0) parts.push(`${n(this.untrusted, 'entr')} without a valid XTEST_CACHE_SECRET signature`)
    if (this.corrupt > 0) parts.push(`${n(this.corrupt, 'unreadable entr')}`)
    if (parts.length === 0) return undefined
    return `the result cache ignored ${parts.join(' and ')} in ${this.dir} (their files ran; passing ones are stored again)`
  }

  private tagOf(stem: string, body: Buffer): string {
    return crypto.createHmac('sha256', this.secret!).update(`${MAGIC}\n${stem}\n`).update(body).digest('hex')
  }

  private namesOf(address: EntryAddress): string[] {
    if (this.index === undefined) {
      this.index = new Map()
      for (const name of namesIn(this.dir)) {
        const match = ENTRY_NAME.exec(name)
        if (!match) continue
        const list = this.index.get(match[1]!)
        if (list) list.push(name)
        else this.index.set(match[1]!, [name])
      }
    }
    const file = fileDigest(address)
    let names = this.index.get(file)
    if (names === undefined) this.index.set(file, (names = []))
    return names
  }

  private newestFirst(names: string[]): string[] {
    if (names.length < 2) return names
    const used = new Map(names.map((name) => [name, lstatOf(path.join(this.dir, name))?.mtimeMs ?? 0]))
    return [...names].sort((a, b) => used.get(b)! - used.get(a)!)
  }

  private readSome(names: string[], address: EntryAddress, max: number): CacheEntry[] {
    const found: CacheEntry[] = []
    for (const name of names.slice(0, VARIANTS_PER_KEY)) {
      if (found.length >= max) break
      const entry = this.readEntry(name, address)
      if (entry) found.push(entry)
    }
    return found
  }

  // One entry file, trusted only as far as it proves itself: header, signature, shape, and filed under its own key.
  private readEntry(name: string, address: EntryAddress): CacheEntry | undefined {
    const file = path.join(this.dir, name)
    const read = readStored(file, MAX_ENTRY_BYTES)
    if (!read.ok) return this.markBad(name, 'corrupt')
    if (read.value === undefined) return undefined
    const newline = read.value.indexOf('\n')
    const header = newline > 0 && newline <= 128 ? HEADER.exec(read.value.slice(0, newline)) : null
    if (!header) return this.markBad(name, 'corrupt')
    const text = read.value.slice(newline + 1)
    if (this.secret) {
      // An entry is UTF-8 JSON, so its bytes are the text's own (a byte that is no UTF-8 changes, and fails the HMAC).
      const tag = header[1]!
      const want = this.tagOf(name.slice(0, -'.result'.length), Buffer.from(text, 'utf8'))
      if (tag === UNSIGNED || !crypto.timingSafeEqual(Buffer.from(tag, 'hex'), Buffer.from(want, 'hex')))
        return this.markBad(name, 'untrusted')
    }
    let entry: unknown
    try {
      entry = JSON.parse(text)
    } catch {
      return this.markBad(name, 'corrupt')
    }
    const [, fileHash, key] = ENTRY_NAME.exec(name)!
    if (!isEntry(entry, address) || fileHash !== fileDigest(address) || key !== keyDigest(address, entry.base))
      return this.markBad(name, 'corrupt')
    this.paths.set(entry, file)
    return entry
  }

  private markBad(name: string, why: 'corrupt' | 'untrusted'): undefined {
    if (!this.bad.has(name)) this[why]++
    this.bad.add(name)
    return undefined
  }

  // After a write: the key keeps its newest variants; this run's unreadable or untrusted entries of the key go.
  private trimKey(names: string[], written: string): void {
    const key = ENTRY_NAME.exec(written)![2]
    const same = this.newestFirst(names.filter((name) => ENTRY_NAME.exec(name)![2] === key && name !== written))
    const drop = same.filter((name, i) => this.bad.has(name) || i >= VARIANTS_PER_KEY - 1)
    for (const name of drop) {
      removeIfOurs(path.join(this.dir, name), 'entry')
      names.splice(names.indexOf(name), 1)
    }
  }
}

/** The store: XTEST_CACHE_DIR, else `results/` in xtest's cache folder of the nearest node_modules; null when neither. */
export function resultStoreOf(cacheDir: string | null, env: NodeJS.ProcessEnv): ResultStore | null {
  const dir = env.XTEST_CACHE_DIR ? path.resolve(env.XTEST_CACHE_DIR) : cacheDir && path.join(cacheDir, 'results')
  if (!dir) return null
  const mb = Number(env.XTEST_CACHE_MAX_MB)
  // An empty secret is no secret: what a fork's build gets for a secret it may not read.
  const secret = env.XTEST_CACHE_SECRET || undefined
  if (secret !== undefined && secret.length < MIN_SECRET_CHARS)
    throw new UsageError(
      `XTEST_CACHE_SECRET has ${secret.length} characters: use at least ${MIN_SECRET_CHARS} random ones (e.g. openssl rand -hex 32)`,
    )
  return new ResultStore(dir, Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : DEFAULT_MAX_BYTES, secret)
}

const folderProblem = (dir: string): string | undefined => {
  const why = ownFolderProblem(dir)
  return why && `the result cache folder ${dir} ${why}: xtest does not use it (point XTEST_CACHE_DIR at a folder of your own)`
}

// Removes a file only when it is xtest's: a regular file of this user whose first bytes are an entry's (or, for a
// temp file, empty or the start of one). Never follows a link.
function removeIfOurs(file: string, kind: Listed['kind']): boolean {
  const magic = kind === 'legacy' || (kind === 'temp' && path.basename(file).includes('.json.')) ? LEGACY_MAGIC : MAGIC
  const head = headOfOwnFile(file, magic.length)
  if (head === undefined || !(kind === 'temp' ? magic.startsWith(head) : head === magic)) return false
  try {
    fs.rmSync(file, { force: true })
    return true
  } catch {
    return false
  }
}

const CASE_RESULTS = new Set(['passed', 'skipped'])
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isTime = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0
const optionalText = (value: Record<string, unknown>, ...names: string[]): boolean =>
  names.every((name) => value[name] === undefined || typeof value[name] === 'string')
const isProperties = (value: unknown): boolean =>
  Array.isArray(value) && value.every((p) => isObject(p) && typeof p.name === 'string' && typeof p.value === 'string')
const isStringMap = (value: unknown): boolean => isObject(value) && Object.values(value).every((v) => typeof v === 'string')

// Only what xtest stores: a clean pass of this address (passed or skipped cases, no fault, not flaky), every field
// of the type the report side expects, string hashes. Anything else is no entry.
function isEntry(value: unknown, address: EntryAddress): value is CacheEntry {
  if (!isObject(value) || value.version !== ENTRY_VERSION) return false
  if (value.container !== address.container || value.tier !== address.tier || value.file !== address.file) return false
  if (typeof value.runId !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(value.runId) || typeof value.createdAt !== 'string') return false
  if (!isStringMap(value.base) || !isStringMap(value.modules) || !isStringMap(value.inputs)) return false
  if (value.uncacheable !== undefined && typeof value.uncacheable !== 'string') return false
  const suite = value.suite
  if (!isObject(suite) || suite.name !== resultKey(address.container, address.tier, address.file) || !isTime(suite.time)) return false
  if (!optionalText(suite, 'timestamp', 'hostname', 'file', 'systemOut', 'systemErr') || !isProperties(suite.properties)) return false
  return (
    Array.isArray(suite.cases) &&
    suite.cases.every(
      (c) =>
        isObject(c) &&
        typeof c.name === 'string' &&
        typeof c.classname === 'string' &&
        CASE_RESULTS.has(c.result as string) &&
        isTime(c.time) &&
        optionalText(c, 'skipMessage', 'systemOut', 'systemErr') &&
        c.fault === undefined &&
        (c.flakyFailures === undefined || (Array.isArray(c.flakyFailures) && c.flakyFailures.length === 0)) &&
        (c.flaky === undefined || c.flaky === false) &&
        c.quarantined === undefined &&
        isProperties(c.properties),
    )
  )
}
