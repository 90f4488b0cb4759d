// Resolves an import specifier to the files it may load, as Vite, Node and TypeScript would: relative and
// root-absolute paths, index files and trailing slashes, TypeScript's `.js` → `.ts` mapping, `?raw`-style suffixes,
// tsconfig `paths`/`baseUrl` (with `extends`), package `exports`/`imports` (`#internal`), and workspace packages
// linked into node_modules. Where several files could be meant it names them all (`--changed` wants a superset).
import fs from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'

/** Files (relative to the root, POSIX, normalised once here), a module outside the repository, or why not. */
export type Resolution = { kind: 'files'; files: string[] } | { kind: 'external' } | { kind: 'unresolved'; why: string }

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json']
// TypeScript's ESM style: `import './x.js'` names the file `x.ts`.
const SOURCE_OF: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] }
const BUILTINS = new Set(builtinModules)

interface TsPaths {
  /** Where `paths` targets and a bare `baseUrl` lookup start. */
  base: string
  paths: Record<string, string[]>
  baseUrl: boolean
}

interface PackageJson {
  dir: string
  name?: string
  exports?: unknown
  imports?: Record<string, unknown>
  main?: string
  module?: string
}

/**
 * What a resolver's answers rest on, as it looks: whether a path is there (`listed`: its folder's entries) or what a
 * file holds (`read`: a package.json, a tsconfig). The result cache checks these were unchanged since a run started
 * before it takes answers given while the run ran.
 */
export type OnLook = (file: string, kind: 'listed' | 'read') => void

/** A resolver for one root; `changed` (root-relative) lets a deleted file still count as what an import names. */
export function createResolver(root: string, changed: ReadonlySet<string> = new Set(), onLook: OnLook = () => {}) {
  const look = onLook
  const realRoot = realpath(root) ?? root
  const tsconfigs = new Map<string, TsPaths | null>()
  const packages = new Map<string, PackageJson | null>()
  const rel = (abs: string): string => path.relative(realRoot, abs).split(path.sep).join('/')
  // A resolver answers for one moment (a plan, a store): every path is looked at once, however many files import it.
  // A module imported by 200 tests has its 20 candidate names tried once, and the candidates of a folder that is not
  // there cost one look at the folder.
  const isFile = new Map<string, boolean>()
  const isFolder = new Map<string, boolean>()
  const kindOf = (abs: string): 'file' | 'folder' | undefined => {
    try {
      // The path as imported, not its real path: the cache refuses a path through a linked folder, as it should.
      look(abs, 'listed')
      const stat = fs.statSync(abs)
      return stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : undefined
    } catch {
      return undefined
    }
  }
  const folderExists = (dir: string): boolean => {
    let found = isFolder.get(dir)
    if (found === undefined) isFolder.set(dir, (found = kindOf(dir) === 'folder'))
    return found
  }
  const exists = (abs: string): string | undefined => {
    let found = isFile.get(abs)
    if (found === undefined) isFile.set(abs, (found = folderExists(path.dirname(abs)) && kindOf(abs) === 'file'))
    return found ? abs : undefined
  }
  const relOf = new Map<string, string>()
  const relMemo = (abs: string): string => {
    let found = relOf.get(abs)
    if (found === undefined) relOf.set(abs, (found = rel(abs)))
    return found
  }

  // Every file a path may name: itself, TypeScript's source for a .js name, with an extension, as a folder.
  const resolvePath = (abs: string, folder: boolean): string[] => {
    const candidates: string[] = []
    if (!folder) {
      const ext = path.extname(abs)
      for (const source of SOURCE_OF[ext] ?? []) candidates.push(abs.slice(0, -ext.length) + source)
      candidates.push(abs, ...EXTENSIONS.map((each) => abs + each))
    }
    const pkg = folderExists(abs) ? readPackage(abs) : undefined
    if (pkg) for (const entry of [pkg.main, pkg.module]) if (entry) candidates.push(...resolvePath(path.join(abs, entry), false))
    candidates.push(...EXTENSIONS.map((each) => path.join(abs, `index${each}`)))
    const found = new Set<string>()
    for (const candidate of candidates) {
      const file = exists(candidate)
      if (file !== undefined) found.add(relMemo(file))
      else if (changed.size > 0 && changed.has(relMemo(candidate))) found.add(relMemo(candidate))
    }
    return [...found]
  }

  const readPackage = (dir: string): PackageJson | undefined => {
    let pkg = packages.get(dir)
    if (pkg === undefined) {
      const json = readJson(path.join(dir, 'package.json'), look)
      pkg = json && typeof json === 'object' ? { ...(json as object), dir } : null
      packages.set(dir, pkg)
    }
    return pkg ?? undefined
  }
  const nearestPackage = (from: string): PackageJson | undefined => {
    for (let dir = from; ; dir = path.dirname(dir)) {
      const pkg = readPackage(dir)
      if (pkg) return pkg
      if (path.dirname(dir) === dir) return undefined
    }
  }

  const tsconfigOf = (dir: string): TsPaths | null => {
    let found = tsconfigs.get(dir)
    if (found === undefined) {
      const file = path.join(dir, 'tsconfig.json')
      look(file, 'listed')
      found = fs.existsSync(file) ? readTsPaths(file, new Set(), look) : path.dirname(dir) === dir ? null : tsconfigOf(path.dirname(dir))
      tsconfigs.set(dir, found)
    }
    return found
  }

  // A package's entry for a subpath: every target of every condition of `exports`, else main/module/index or the path.
  const resolvePackage = (pkg: PackageJson, subpath: string): string[] => {
    if (pkg.exports !== undefined) {
      const targets = matchExports(pkg.exports, subpath)
      return targets.flatMap((target) => resolvePath(path.join(pkg.dir, target), target.endsWith('/')))
    }
    return resolvePath(path.join(pkg.dir, subpath), subpath.endsWith('/') || subpath === '.')
  }

  const resolveBare = (spec: string, fromDir: string): Resolution => {
    const name = packageName(spec)
    if (spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(name ?? '')) return { kind: 'external' }
    const ts = tsconfigOf(fromDir)
    if (ts) {
      const files = resolveTsPaths(ts, spec).flatMap((target) => resolvePath(target, target.endsWith('/')))
      if (files.length > 0) return { kind: 'files', files }
    }
    if (name === undefined) return { kind: 'unresolved', why: `could not resolve '${spec}'` }
    const subpath = `.${spec.slice(name.length)}`
    const self = nearestPackage(fromDir)
    if (self?.name === name && self.exports !== undefined) return filesOrNot(resolvePackage(self, subpath), spec)
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
      const installed = path.join(dir, 'node_modules', name)
      look(installed, 'listed')
      if (fs.existsSync(installed)) {
        const real = realpath(installed) ?? installed
        // An installed package is covered by the lockfile and package.json; a workspace package is repository code.
        if (real.split(path.sep).includes('node_modules')) return { kind: 'external' }
        const pkg = readPackage(real) ?? { dir: real }
        return filesOrNot(resolvePackage(pkg, subpath), spec)
      }
      if (path.dirname(dir) === dir) return { kind: 'unresolved', why: `could not resolve '${spec}'` }
    }
  }

  /** `spec` as imported by `from` (root-relative). */
  return (spec: string, from: string): Resolution => {
    const fromDir = path.dirname(path.join(realRoot, from))
    // `?raw`, `?url`, `#hash` name the same file; `#internal` is a specifier of its own.
    const clean = spec.startsWith('#') ? spec.replace(/\?.*$/, '') : spec.replace(/[?#].*$/, '')
    if (clean === '') return { kind: 'unresolved', why: `could not resolve '${spec}'` }
    if (clean.startsWith('./') || clean.startsWith('../') || clean === '.' || clean === '..') {
      return filesOrNot(resolvePath(path.join(fromDir, clean), /\/$|^\.\.?$|\/\.\.?$/.test(clean)), spec)
    }
    // Vite: `/src/x` is relative to the project root; only when nothing is there, a file system path.
    if (clean.startsWith('/')) {
      const files = resolvePath(path.join(realRoot, clean), clean.endsWith('/'))
      return filesOrNot(files.length > 0 ? files : resolvePath(clean, clean.endsWith('/')), spec)
    }
    if (clean.startsWith('#')) {
      const pkg = nearestPackage(fromDir)
      const targets = pkg?.imports ? matchSubpath(pkg.imports, clean) : []
      const files = targets.flatMap((target) =>
        target.startsWith('./') ? resolvePath(path.join(pkg!.dir, target), target.endsWith('/')) : asFiles(resolveBare(target, pkg!.dir)),
      )
      return filesOrNot(files, spec)
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(clean) && !clean.startsWith('node:')) return { kind: 'unresolved', why: `could not resolve '${spec}'` }
    return resolveBare(clean, fromDir)
  }
}

const asFiles = (resolution: Resolution): string[] => (resolution.kind === 'files' ? resolution.files : [])
const filesOrNot = (files: string[], spec: string): Resolution =>
  files.length > 0 ? { kind: 'files', files: [...new Set(files)] } : { kind: 'unresolved', why: `could not resolve '${spec}'` }

function realpath(file: string): string | undefined {
  try {
    return fs.realpathSync(file)
  } catch {
    return undefined
  }
}

/** `@scope/name` or `name` of a bare specifier; undefined when it cannot be a package name (`@/x`, `~/x`). */
function packageName(spec: string): string | undefined {
  const parts = spec.split('/')
  const name = spec.startsWith('@') ? (parts.length > 1 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0]
  return name !== undefined && /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name) ? name : undefined
}

// `exports` for a subpath: a string or conditions object stands for `.`; an object of subpaths is matched.
function matchExports(exports: unknown, subpath: string): string[] {
  const isSubpathMap =
    typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'))
  if (!isSubpathMap) return subpath === '.' ? leaves(exports) : []
  return matchSubpath(exports as Record<string, unknown>, subpath)
}

/** Targets of an `exports`/`imports` map for a key, exact or by `*` pattern (every pattern that matches). */
function matchSubpath(map: Record<string, unknown>, key: string): string[] {
  if (key in map) return leaves(map[key])
  const targets: string[] = []
  for (const [pattern, value] of Object.entries(map)) {
    const star = pattern.indexOf('*')
    if (star === -1) {
      if (pattern.endsWith('/') && key.startsWith(pattern)) targets.push(...leaves(value).map((t) => t + key.slice(pattern.length)))
      continue
    }
    const [prefix, suffix] = [pattern.slice(0, star), pattern.slice(star + 1)]
    if (key.length >= prefix.length + suffix.length && key.startsWith(prefix) && key.endsWith(suffix)) {
      const middle = key.slice(prefix.length, key.length - suffix.length)
      targets.push(...leaves(value).map((t) => t.replaceAll('*', middle)))
    }
  }
  return targets
}

// Every string under a target: all conditions count (which one Vite picks depends on its config).
function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(leaves)
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(leaves)
  return []
}

function resolveTsPaths(ts: TsPaths, spec: string): string[] {
  const targets = matchSubpath(ts.paths, spec).map((target) => path.join(ts.base, target))
  if (ts.baseUrl) targets.push(path.join(ts.base, spec))
  return targets
}

// A tsconfig's `paths` and `baseUrl`, following `extends` (a path, or a package's file): relative to the file that sets them.
function readTsPaths(file: string, seen: Set<string>, look: OnLook): TsPaths | null {
  if (seen.has(file)) return null
  seen.add(file)
  const json = readJson(file, look, true) as
    | { extends?: string | string[]; compilerOptions?: { paths?: unknown; baseUrl?: string } }
    | undefined
  if (!json) return null
  let found: TsPaths | null = null
  for (const parent of [json.extends ?? []].flat()) {
    const parentFile = findExtended(parent, path.dirname(file), look)
    const inherited = parentFile ? readTsPaths(parentFile, seen, look) : null
    if (inherited) found = inherited
  }
  const options = json.compilerOptions ?? {}
  const dir = path.dirname(file)
  if (typeof options.baseUrl === 'string') found = { base: path.resolve(dir, options.baseUrl), paths: found?.paths ?? {}, baseUrl: true }
  if (options.paths && typeof options.paths === 'object') {
    const paths = Object.fromEntries(
      Object.entries(options.paths).map(([key, value]) => [key, [value].flat().filter((v) => typeof v === 'string')]),
    )
    found = {
      base: typeof options.baseUrl === 'string' ? path.resolve(dir, options.baseUrl) : found?.baseUrl ? found.base : dir,
      paths,
      baseUrl: found?.baseUrl ?? false,
    }
  }
  return found
}

function findExtended(spec: string, dir: string, look: OnLook): string | undefined {
  const tries = spec.startsWith('.') || path.isAbsolute(spec) ? [path.resolve(dir, spec)] : [path.join(dir, 'node_modules', spec)]
  if (!spec.startsWith('.') && !path.isAbsolute(spec))
    for (let up = path.dirname(dir); up !== path.dirname(up); up = path.dirname(up)) tries.push(path.join(up, 'node_modules', spec))
  for (const base of tries)
    for (const file of [base, `${base}.json`, path.join(base, 'tsconfig.json')]) {
      look(file, 'listed')
      if (fs.existsSync(file) && fs.statSync(file).isFile()) return file
    }
  return undefined
}

/** JSON, or with `jsonc` JSON with comments and trailing commas (tsconfig); undefined when unreadable. */
function readJson(file: string, look: OnLook, jsonc = false): unknown {
  let text: string
  try {
    look(file, 'listed')
    text = fs.readFileSync(file, 'utf8')
    look(file, 'read')
  } catch {
    return undefined
  }
  try {
    return JSON.parse(jsonc ? stripJsonComments(text) : text)
  } catch {
    return undefined
  }
}

function stripJsonComments(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch === '"') {
      const end = endOfString(text, i)
      out += text.slice(i, end)
      i = end - 1
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end === -1 ? text.length : end + 1
    } else out += ch
  }
  return out.replace(/,(\s*[}\]])/g, '$1')
}

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === '"') return i + 1
  }
  return text.length
}
