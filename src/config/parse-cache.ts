// Remembers the last validated form of a config, so an unchanged config skips zod (about 0.1 s of import and
// schema building on every command). Kept in node_modules/.cache/xtest, where build tools keep theirs.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { parseJson } from '../core/result.js'
import { findPackageRoot } from '../shared/package-root.js'
import { ownFolderProblem, readStored, writeStored } from '../store/files.js'
import type { ParsedConfig } from './schema.js'

const MAX_ENTRY_BYTES = 4 * 1024 * 1024 // a parsed config is a few KiB

interface CacheEntry {
  key: string
  parsed: ParsedConfig
}

// xtest's version and its published schema are part of the key: another version, or a changed schema, never
// reads an old entry. (The CLI is a bundle: the schema's source is not a file of its own there.)
let fingerprint: string | undefined
function schemaFingerprint(): string {
  if (fingerprint === undefined) {
    const root = findPackageRoot(import.meta.url)
    fingerprint = ['package.json', 'config/schema.json', 'config/defaults.json']
      .map((name) => readOrEmpty(path.join(root, name)))
      .join('\0')
  }
  return fingerprint
}

/** The cached parse of `raw` (config data that is plain JSON), or null. */
export function readCachedParse(raw: unknown, root: string): ParsedConfig | null {
  const where = cacheFile(root)
  if (!where || !isPlainJson(raw) || ownFolderProblem(path.dirname(where))) return null
  const read = readStored(where, MAX_ENTRY_BYTES)
  const entry = read.ok && read.value !== undefined ? parseJson(read.value) : undefined
  const { key, parsed } = (entry?.ok ? entry.value : {}) as Partial<CacheEntry>
  return key !== undefined && key === cacheKey(raw) && parsed !== undefined ? parsed : null
}

/** Stores the parse of `raw`; quietly does nothing where the cache cannot be written. */
export function writeCachedParse(raw: unknown, root: string, parsed: ParsedConfig): void {
  const where = cacheFile(root)
  if (!where || !isPlainJson(raw) || ownFolderProblem(path.dirname(where))) return
  try {
    // Atomic: a concurrent reader sees the old entry or the new one.
    writeStored(where, JSON.stringify({ key: cacheKey(raw), parsed } satisfies CacheEntry))
  } catch {
    // A cache that cannot be written costs only the next parse.
  }
}

function cacheKey(raw: unknown): string {
  return crypto.createHash('sha256').update(schemaFingerprint()).update('\0').update(JSON.stringify(raw)).digest('hex')
}

/** xtest's cache folder for a config folder: node_modules/.cache/xtest in the nearest node_modules above it, or null. */
export function findCacheDir(root: string): string | null {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'xtest')
    if (path.dirname(dir) === dir) return null
  }
}

// One file per config folder.
function cacheFile(root: string): string | null {
  const dir = findCacheDir(root)
  return dir && path.join(dir, `config-${crypto.createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16)}.json`)
}

/** Only data JSON carries faithfully may be keyed by its JSON text: no functions, undefined, dates or class instances. */
export function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return Object.keys(value).length === value.length && value.every(isPlainJson)
  if (typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return false
  return Object.getOwnPropertySymbols(value).length === 0 && Object.values(value).every(isPlainJson)
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}
