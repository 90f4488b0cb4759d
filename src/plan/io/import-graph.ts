// A static scan of imports (no bundler run) so `--changed` and the cache know which files a test reads.

import fs from 'node:fs'
import path from 'node:path'
import fg from 'fast-glob'
import micromatch from 'micromatch'
import { findImports } from '../find-imports.js'
import { createResolver, type OnLook, type Resolution } from './resolve-import.js'

const MAX_SCANNED_BYTES = 8 * 1024 * 1024
const CODE = /\.(?:[cm]?[jt]sx?|vue|svelte)$/

/** What one file imports: resolved files, glob patterns (root-relative), and what could not be read or resolved. */
export interface FileImports {
  /** Resolved imports. */
  files: string[]
  /** Files the globs (import.meta.glob, a template import()) match now: they may be loaded. */
  globbed: string[]
  /** import.meta.glob patterns, root-relative; `!` negations apply to the patterns of the same call. */
  globs: Array<{ patterns: string[]; ignore: string[] }>
  /** `could not resolve './x' at src/a.ts:12`, `import() with a computed name at src/a.ts:3`. */
  problems: string[]
}

const NONE: FileImports = Object.freeze({ files: [], globbed: [], globs: [], problems: [] }) as unknown as FileImports

/**
 * A reader of the import graph: file (relative to `root`, POSIX) → what it imports (resolve-import.ts), each file read
 * once. A path that is gone but changed still counts, so a test importing a deleted module is selected. Files under
 * node_modules and files that are not code are leaves.
 */
export function createImportScanner(
  root: string,
  changed: ReadonlySet<string> = new Set(),
  onLook?: OnLook,
): (file: string) => FileImports {
  const resolve = createResolver(root, changed, onLook)
  const cache = new Map<string, FileImports>()
  return (file) => {
    let imports = cache.get(file)
    if (imports === undefined) cache.set(file, (imports = scanFile(root, file, resolve)))
    return imports
  }
}

/**
 * The files a file names in its imports (existing, or changed), resolved; for the cache's own walk over a test's
 * imports, which leaves what globs may load to the shard's record.
 */
export function createImportReader(root: string, changed: ReadonlySet<string>, onLook?: OnLook): (file: string) => string[] {
  const scan = createImportScanner(root, changed, onLook)
  return (file) => scan(file).files
}

/**
 * Every file reachable from `starts` through `readImports`, each once, breadth first, the starts first; at most `limit`.
 * A generator: the warm-up reads a slice at a time and resumes where it stopped.
 */
export function* importClosure(
  starts: Iterable<string>,
  readImports: (file: string) => string[],
  limit = Number.POSITIVE_INFINITY,
): Generator<string, void, undefined> {
  const queue = [...new Set(starts)].slice(0, limit)
  const seen = new Set(queue)
  for (let at = 0; at < queue.length; at++) {
    yield queue[at]!
    for (const next of readImports(queue[at]!))
      if (!seen.has(next) && seen.size < limit) {
        seen.add(next)
        queue.push(next)
      }
  }
}

/** Existing files a glob names (relative to `root`). */
function expandGlob(root: string, glob: FileImports['globs'][number]): string[] {
  const inside = glob.patterns.filter((p) => !p.startsWith('../'))
  // fast-glob takes no `../` pattern: those outside the root are matched from the file system root.
  const outside = glob.patterns.filter((p) => p.startsWith('../')).map((p) => path.join(root, p))
  const found = [
    ...fg.sync(inside, { cwd: root, dot: true, ignore: [...glob.ignore, '**/node_modules/**'] }),
    ...fg.sync(outside, { absolute: true, dot: true }).map((abs) => path.relative(root, abs).split(path.sep).join('/')),
  ]
  return found.filter((file) => !micromatch.isMatch(file, glob.ignore, { dot: true }))
}

function mocksOf(specifier: string, resolved: Resolution, file: string, resolve: ReturnType<typeof createResolver>): string[] {
  const targets =
    resolved.kind === 'files'
      ? resolved.files.map((each) => `/${path.posix.join(path.posix.dirname(each), '__mocks__', path.posix.basename(each))}`)
      : [`/__mocks__/${specifier}`]
  return targets.flatMap((target) => {
    const found = resolve(target, file)
    return found.kind === 'files' ? found.files : []
  })
}

function scanFile(root: string, file: string, resolve: ReturnType<typeof createResolver>): FileImports {
  if (!CODE.test(file) || file.split('/').includes('node_modules')) return NONE
  let text: string
  try {
    const abs = path.join(root, file)
    // A generated bundle of this size is not scanned: whatever it imports, it selects its importers.
    if (fs.statSync(abs).size > MAX_SCANNED_BYTES) return { ...NONE, problems: [`${file} is too large to scan`] }
    text = fs.readFileSync(abs, 'utf8')
  } catch {
    return NONE
  }
  const found = findImports(text)
  const result: FileImports = {
    files: [],
    globbed: [],
    globs: [],
    problems: found.unreadable.map((each) => `${each.what} at ${file}:${each.line}`),
  }
  const files = new Set<string>()
  for (const { specifier, line, mock } of found.specifiers) {
    const resolved = resolve(specifier, file)
    if (resolved.kind === 'files') for (const each of resolved.files) files.add(each)
    else if (resolved.kind === 'unresolved') result.problems.push(`${resolved.why} at ${file}:${line}`)
    // vi.mock without a factory loads __mocks__/<name> beside the module, or in the root's __mocks__ for a package.
    if (mock) for (const each of mocksOf(specifier, resolved, file, resolve)) files.add(each)
  }
  const dir = path.posix.dirname(file)
  for (const { patterns, line } of found.globs) {
    const toRoot = (pattern: string): string | undefined =>
      pattern.startsWith('./') || pattern.startsWith('../')
        ? path.posix.normalize(path.posix.join(dir, pattern))
        : pattern.startsWith('/')
          ? pattern.slice(1)
          : undefined
    const positive = patterns.filter((p) => !p.startsWith('!')).map(toRoot)
    const ignore = patterns.filter((p) => p.startsWith('!')).map((p) => toRoot(p.slice(1)))
    if ([...positive, ...ignore].some((p) => p === undefined)) result.problems.push(`import.meta.glob with an alias at ${file}:${line}`)
    else {
      const glob = { patterns: positive as string[], ignore: ignore as string[] }
      result.globs.push(glob)
      result.globbed.push(...expandGlob(root, glob).filter((each) => each !== file))
    }
  }
  result.files = [...files].filter((each) => each !== file)
  return result
}
