// Telling "this module is not installed" apart from "it is installed but broken", and finding its version.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/** The package a specifier belongs to: `@a/b/c` → `@a/b`, `a/b` → `a`; null for `node:` built-ins and paths. */
export function getPackageName(specifier: string): string | null {
  if (specifier.startsWith('node:') || specifier.startsWith('.') || path.isAbsolute(specifier)) return null
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? null)
}

/**
 * The module in `() => import('x')`, also after Vite rewrote it to `__vite_ssr_dynamic_import__("x")`; when Vite
 * resolved it to `/node_modules/x/index.js` (it does when the module exists), the package name.
 */
export function readLoaderSpecifier(load: () => unknown): string | null {
  const specifier = /import\w*\(\s*["'`]([^"'`]+)["'`]/.exec(String(load))?.[1]
  if (!specifier) return null
  const installed = specifier.lastIndexOf('/node_modules/')
  return installed === -1 ? specifier : getPackageName(specifier.slice(installed + '/node_modules/'.length))
}

const NOT_FOUND_CODES = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND', 'ERR_LOAD_URL'])

/**
 * The module a "not found" error says is missing, or null when `error` is something else (the module threw while
 * loading, a syntax error...). Node: `Cannot find package 'x' imported from …`; Vite: `Failed to load url x …`.
 */
export function readNotFoundTarget(error: unknown): { target: string; importer: string | null } | null {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  if (typeof code !== 'string' || !NOT_FOUND_CODES.has(code) || typeof message !== 'string') return null
  const target = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1] ?? /Failed to load url (\S+)/.exec(message)?.[1]
  if (!target) return null
  return { target, importer: /imported from (.+)$/m.exec(message)?.[1]?.trim() ?? null }
}

/**
 * Whether `error` says that `name` itself is missing. A missing import *of* that module (its own dependency)
 * names another module and is not a "missing" but a broken install, which must fail. Without a name, any
 * not-found error raised by code outside node_modules counts.
 */
export function isMissingModule(error: unknown, name: string | null): boolean {
  const found = readNotFoundTarget(error)
  if (!found) return false
  if (name === null) return !found.importer?.includes('/node_modules/')
  return found.target === name || found.target === getPackageName(name)
}

/** Resolves a bare specifier from the working directory (the Vitest root), for when xtest's own location cannot. */
export function resolveFromCwd(specifier: string, cwd = process.cwd()): string | null {
  try {
    return createRequire(path.join(cwd, 'noop.js')).resolve(specifier)
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') return null
    throw error
  }
}

/**
 * The installed version of package `name`: from the nearest package.json of that name above `resolvedFile`,
 * else from `node_modules/<name>/package.json` in the working directory or a parent. Null when unknown.
 */
export function findPackageVersion(name: string, resolvedFile: string | null, cwd = process.cwd()): string | null {
  const candidates: string[] = []
  if (resolvedFile) for (const dir of ancestors(path.dirname(resolvedFile))) candidates.push(path.join(dir, 'package.json'))
  for (const dir of ancestors(cwd)) candidates.push(path.join(dir, 'node_modules', name, 'package.json'))
  for (const file of candidates) {
    if (!fs.existsSync(file)) continue
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown }
    if (pkg.name === name) return typeof pkg.version === 'string' ? pkg.version : null
  }
  return null
}

function ancestors(start: string): string[] {
  const dirs = [path.resolve(start)]
  for (let dir = dirs[0]!; path.dirname(dir) !== dir; dir = path.dirname(dir)) dirs.push(path.dirname(dir))
  return dirs
}

/** What a skipped file gets instead of the module: any property, call or `new` gives the placeholder again. */
export function createPlaceholder(name: string): any {
  const describe = (): string => `[missing module ${name}]`
  const placeholder: any = new Proxy(function missingModule() {}, {
    get(_target, key) {
      if (key === 'then') return undefined // so that `await placeholder` does not hang
      if (key === Symbol.toPrimitive || key === 'toString') return describe
      if (key === Symbol.iterator) return function* empty() {}
      return placeholder
    },
    apply: () => placeholder,
    construct: () => placeholder,
    set: () => true,
  })
  return placeholder
}
