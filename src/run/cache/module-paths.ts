// A shard's modules.ndjson, read as untrusted data: for each of its planned test files, the modules the shard says
// that file loaded, as repository-relative paths. The list is advisory (docs/cache.md, "Trust"): a shard that lists
// too little gains nothing its own test code could not fake, and anything it lists outside what the host accepts
// makes that file uncacheable. Paths are as the shard saw them: /app/... in Docker, host paths on the local runtime.
import path from 'node:path'
import { fail, ok, type Result } from '../../core/result.js'
import { cleanRepoPath } from './file-hash.js'

/** How the shard's paths map back: where the repo was, what is covered by the key already, what is refused. */
export interface ShardPathView {
  /** The repository's root as the shard saw it (`/app`, or the host path; also its real path on the local runtime). */
  repoRoots: readonly string[]
  /** Prefixes whose files the key covers otherwise (xtest's own folder: its version; the exchange folder's in/). */
  covered: readonly string[]
  /** Docker: files of the image (any other absolute path) are covered by the image id, except under `refused`. */
  imageCovers: boolean
  /** Prefixes never accepted: runtime scratch space (/tmp), the shard's own out/, mounted volumes. */
  refused: readonly string[]
}

/** What a planned file depended on, repo-relative and sorted: modules, files read, folders listed, paths stat-ed. */
export interface FileRecord {
  modules: string[]
  reads: string[]
  lists: string[]
  stats: string[]
  /** Files Vitest's main process loads for every file (globalSetup): the host adds what they import. */
  setup: string[]
}

/** A planned file's record, or why it cannot be cached. */
export type ModuleList = Result<FileRecord>

const MAX_MODULES = 20_000
const under = (file: string, prefix: string): boolean => file === prefix || file.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)

/** Maps one shard path to a repo-relative one; null means covered by the key; a failure says why the file is not cacheable. */
export function toRepoPath(file: string, view: ShardPathView): Result<string | null> {
  if (!path.posix.isAbsolute(file) || file.includes('\0') || path.posix.normalize(file) !== file)
    return fail(`the shard named an odd module path ${JSON.stringify(file.slice(0, 200))}`)
  const outside = (): Result<never> => fail(`module ${file} is outside the repository`)
  if (view.refused.some((prefix) => under(file, prefix))) return outside()
  for (const root of view.repoRoots) {
    if (!under(file, root)) continue
    const rel = cleanRepoPath(path.posix.relative(root, file))
    return rel === null ? outside() : ok(rel)
  }
  return view.imageCovers || view.covered.some((prefix) => under(file, prefix)) ? ok(null) : outside()
}

type Kind = 'modules' | 'reads' | 'lists' | 'stats' | 'setup'
const KINDS: readonly Kind[] = ['modules', 'reads', 'lists', 'stats', 'setup']
const WHAT: Record<Kind, string> = { modules: 'module', reads: 'it reads', lists: 'it lists', stats: 'it looks at', setup: 'globalSetup' }

// A reason from the shard, printable and short (it is data from test code).
const clip = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200)

/**
 * Each planned file's modules (repo-relative, sorted) or why it has none. `files` are the shard's planned files
 * relative to the config root; the shard names them relative to its working directory (`workdir`, relative to the
 * config root). Lines that are not well-formed, or name no planned file, are ignored.
 */
export function readModuleLists(text: string, files: readonly string[], workdir: string, view: ShardPathView): Map<string, ModuleList> {
  const planned = new Set(files)
  type Entry = { sets: Record<Kind, Set<string>>; problem?: string }
  const found = new Map<string, Entry>()
  const empty = (): Entry => ({ sets: Object.fromEntries(KINDS.map((kind) => [kind, new Set<string>()])) as Record<Kind, Set<string>> })
  // The config line applies to every file; without it nothing is cacheable (its env and globalSetup files are unknown).
  const shared: Entry = {
    ...empty(),
    problem: 'the shard did not say which env and globalSetup files it loaded',
  }
  // Every test file names much the same modules: each path is mapped once.
  const mappedPaths = new Map<string, Result<string | null>>()
  const add = (entry: Entry, kind: Kind, values: readonly string[]) => {
    for (const value of values) {
      let mapped = mappedPaths.get(value)
      if (mapped === undefined) mappedPaths.set(value, (mapped = toRepoPath(value, view)))
      if (!mapped.ok) entry.problem ??= kind === 'modules' ? mapped.message : `${WHAT[kind]} ${clip(value)} outside the repository`
      else if (mapped.value !== null) entry.sets[kind].add(mapped.value)
    }
  }
  for (const line of text.split('\n')) {
    const parsed = parseLine(line)
    if (parsed === undefined) continue
    if ('config' in parsed) {
      if (shared.problem?.startsWith('the shard did not say')) shared.problem = undefined
      add(shared, 'reads', parsed.config.envFiles)
      add(shared, 'setup', parsed.config.globalSetup)
      // What globalSetup code did itself: an input of every file.
      for (const kind of ['reads', 'lists', 'stats'] as const) add(shared, kind, parsed.config[kind])
      if (parsed.config.opaque.length > 0) shared.problem ??= `globalSetup ${clip(parsed.config.opaque[0]!)}`
      continue
    }
    const file = path.posix.normalize(path.posix.join(workdir === '.' ? '' : workdir, parsed.file))
    if (!planned.has(file)) continue
    const entry = found.get(file) ?? empty()
    found.set(file, entry)
    for (const kind of ['modules', 'reads', 'lists', 'stats'] as const) add(entry, kind, parsed[kind])
    if (parsed.opaque.length > 0) entry.problem ??= clip(parsed.opaque[0]!)
    if (!parsed.complete) entry.problem ??= 'the shard could not list all of its modules'
  }
  const lists = new Map<string, ModuleList>()
  for (const file of files) {
    const entry = found.get(file)
    if (entry === undefined) lists.set(file, fail('the shard listed no modules for it'))
    else if (entry.problem !== undefined) lists.set(file, fail(entry.problem))
    else if (shared.problem !== undefined) lists.set(file, fail(shared.problem))
    else {
      const record = Object.fromEntries(KINDS.map((kind) => [kind, [...new Set([...entry.sets[kind], ...shared.sets[kind]])].sort()]))
      lists.set(file, ok(record as unknown as FileRecord))
    }
  }
  return lists
}

type ParsedLine =
  | { file: string; modules: string[]; complete: boolean; reads: string[]; lists: string[]; stats: string[]; opaque: string[] }
  | { config: { envFiles: string[]; globalSetup: string[]; reads: string[]; lists: string[]; stats: string[]; opaque: string[] } }

const strings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length <= MAX_MODULES && value.every((each) => typeof each === 'string')

function parseLine(line: string): ParsedLine | undefined {
  if (line.trim() === '' || line.length > 8 * 1024 * 1024) return undefined
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const record = value as Record<string, unknown>
  if ('config' in record) {
    const config = record.config as Record<string, unknown> | null
    if (typeof config !== 'object' || config === null) return undefined
    const { envFiles, globalSetup, reads, lists, stats, opaque } = config
    if (![envFiles, globalSetup, reads, lists, stats, opaque].every(strings)) return undefined
    return { config: { envFiles, globalSetup, reads, lists, stats, opaque } as Extract<ParsedLine, { config: unknown }>['config'] }
  }
  const { file, modules, complete, reads, lists, stats, opaque } = record
  if (typeof file !== 'string' || !strings(modules)) return undefined
  // A line without the other inputs says nothing about them: the file is not cacheable.
  if (!strings(reads) || !strings(lists) || !strings(stats) || !strings(opaque))
    return { file, modules, complete: false, reads: [], lists: [], stats: [], opaque: [] }
  return { file, modules, complete: complete === true, reads, lists, stats, opaque }
}
