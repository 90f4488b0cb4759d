// Raw Istanbul coverage (Vitest's coverage-final.json) written inside a shard: hostile input. Each file's data is
// rebuilt from checked numbers and locations only, and its path, as the shard saw it, is mapped to a path relative
// to the repository; a path outside the repository (xtest itself, node_modules of an image, /tmp) is dropped.
import path from 'node:path'
import type { BranchMapping, CoverageMapData, FileCoverageData, FunctionMapping, Location, Range } from 'istanbul-lib-coverage'

const INDEX = /^\d{1,7}$/

/**
 * `raw` (parsed JSON) → coverage keyed by POSIX paths relative to the repository. `shardRoot` is where the shard saw
 * the repository (`/app` in a container). Returns the files kept and how many entries were dropped.
 */
export function readRawCoverage(raw: unknown, shardRoot: string): { data: CoverageMapData; dropped: number } {
  const data: CoverageMapData = {}
  let dropped = 0
  if (!isObject(raw)) return { data, dropped: 1 }
  for (const [file, value] of Object.entries(raw)) {
    const rel = repoRelative(file, shardRoot)
    const cleaned = rel === null ? null : cleanFileCoverage(value, rel)
    if (cleaned && rel !== null && !(rel in data)) data[rel] = cleaned
    else dropped++
  }
  return { data, dropped }
}

/** A shard's absolute POSIX path → POSIX path relative to `shardRoot`, or null outside it (or not a plain path). */
export function repoRelative(file: string, shardRoot: string): string | null {
  if (!file.startsWith('/') || file.length > 4096 || /[\0\r\n]/.test(file)) return null
  const rel = path.posix.relative(shardRoot, path.posix.normalize(file))
  if (rel === '' || rel.startsWith('../') || rel === '..' || path.posix.isAbsolute(rel)) return null
  if (rel.split('/').some((part) => part === '__proto__')) return null
  return rel
}

/** One file's coverage rebuilt from what was checked; null when its shape is not Istanbul's. */
export function cleanFileCoverage(value: unknown, filePath: string): FileCoverageData | null {
  if (!isObject(value)) return null
  const statementMap = indexed(value.statementMap, range)
  const fnMap = indexed(value.fnMap, functionMapping)
  const branchMap = indexed(value.branchMap, branchMapping)
  const s = indexed(value.s, count)
  const f = indexed(value.f, count)
  const b = indexed(value.b, (v) => (Array.isArray(v) && v.length <= 10_000 && v.every((n) => count(n) !== null) ? (v as number[]) : null))
  if (!statementMap || !fnMap || !branchMap || !s || !f || !b) return null
  // Every count must belong to a mapped entry, and the other way round, or istanbul's summaries go wrong.
  if (!sameKeys(statementMap, s) || !sameKeys(fnMap, f) || !sameKeys(branchMap, b)) return null
  for (const key of Object.keys(b)) if (b[key]!.length !== branchMap[key]!.locations.length) return null
  return { path: filePath, statementMap, fnMap, branchMap, s, f, b }
}

function indexed<T>(value: unknown, each: (v: unknown) => T | null): Record<string, T> | null {
  if (!isObject(value)) return null
  const out: Record<string, T> = {}
  for (const [key, v] of Object.entries(value)) {
    const checked = each(v)
    if (!INDEX.test(key) || checked === null) return null
    out[key] = checked
  }
  return out
}

function sameKeys(a: object, b: object): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => key in b)
}

function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null
}

// Column may be null (Infinity in V8's ranges); lines are positive integers.
function location(v: unknown): Location | null {
  if (!isObject(v) || !Number.isInteger(v.line) || (v.line as number) < 0) return null
  if (v.column !== null && !Number.isInteger(v.column)) return null
  return { line: v.line as number, column: v.column as number }
}

function range(v: unknown): Range | null {
  if (!isObject(v)) return null
  const start = location(v.start)
  const end = location(v.end)
  return start && end ? { start, end } : null
}

function functionMapping(v: unknown): FunctionMapping | null {
  if (!isObject(v)) return null
  const decl = range(v.decl)
  const loc = range(v.loc)
  if (!decl || !loc) return null
  return { name: typeof v.name === 'string' ? v.name.slice(0, 500) : '(anonymous)', decl, loc, line: lineOf(v.line, loc) }
}

function branchMapping(v: unknown): BranchMapping | null {
  if (!isObject(v) || !Array.isArray(v.locations) || v.locations.length > 10_000) return null
  const loc = range(v.loc)
  // An implicit else (an `if` without one) has an empty location: `{ start: {}, end: {} }`.
  const locations = v.locations.map((l) => range(l) ?? (isEmptyRange(l) ? { start: {}, end: {} } : null))
  if (!loc || locations.some((l) => l === null)) return null
  const type = typeof v.type === 'string' ? v.type.slice(0, 50) : 'branch'
  return { loc, type, locations: locations as Range[], line: lineOf(v.line, loc) }
}

// istanbul's own instrumenter leaves `line` out; V8's conversion writes it.
function lineOf(line: unknown, loc: Range): number {
  return Number.isInteger(line) ? (line as number) : loc.start.line
}

function isEmptyRange(v: unknown): boolean {
  return isObject(v) && isObject(v.start) && isObject(v.end) && Object.keys(v.start).length === 0 && Object.keys(v.end).length === 0
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
