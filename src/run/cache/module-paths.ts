// A shard's modules.ndjson, read as untrusted data: for each of its planned test files, the modules the shard says
// that file loaded, as repository-relative paths. The list is advisory (docs/cache.md, "Trust"): a shard that lists
// too little gains nothing its own test code could not fake, and anything it lists outside what the host accepts
// makes that file uncacheable. Paths are as the shard saw them: /app/... in Docker, host paths on the local runtime.
import path from 'node:path'
import { cleanRepoPath } from './file-hash.js'
import { fail, ok, type Result } from '../../core/result.js'

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

/** A planned file's modules (repo-relative, sorted), or why it has none. */
export type ModuleList = Result<string[]>

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

/**
 * Each planned file's modules (repo-relative, sorted) or why it has none. `files` are the shard's planned files
 * relative to the config root; the shard names them relative to its working directory (`workdir`, relative to the
 * config root). Lines that are not well-formed, or name no planned file, are ignored.
 */
export function readModuleLists(text: string, files: readonly string[], workdir: string, view: ShardPathView): Map<string, ModuleList> {
  const planned = new Set(files)
  const found = new Map<string, { modules: Set<string>; problem?: string }>()
  for (const line of text.split('\n')) {
    const parsed = parseLine(line)
    if (parsed === undefined) continue
    const file = path.posix.normalize(path.posix.join(workdir === '.' ? '' : workdir, parsed.file))
    if (!planned.has(file)) continue
    const entry = found.get(file) ?? { modules: new Set<string>() }
    found.set(file, entry)
    if (!parsed.complete) entry.problem ??= 'the shard could not list all of its modules'
    for (const module of parsed.modules) {
      const mapped = toRepoPath(module, view)
      if (!mapped.ok) entry.problem ??= mapped.message
      else if (mapped.value !== null) entry.modules.add(mapped.value)
    }
  }
  const lists = new Map<string, ModuleList>()
  for (const file of files) {
    const entry = found.get(file)
    if (entry === undefined) lists.set(file, fail('the shard listed no modules for it'))
    else if (entry.problem !== undefined) lists.set(file, fail(entry.problem))
    else lists.set(file, ok([...entry.modules].sort()))
  }
  return lists
}

function parseLine(line: string): { file: string; modules: string[]; complete: boolean } | undefined {
  if (line.trim() === '' || line.length > 8 * 1024 * 1024) return undefined
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const { file, modules, complete } = value as Record<string, unknown>
  if (typeof file !== 'string' || !Array.isArray(modules) || modules.length > MAX_MODULES) return undefined
  if (!modules.every((each): each is string => typeof each === 'string')) return undefined
  return { file, modules, complete: complete === true }
}
