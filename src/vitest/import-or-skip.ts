// importOrSkip: pytest's importorskip for Vitest. Runs in the test file's worker (user-land), so it may use vitest.
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { RunnerTestSuite } from 'vitest'
import {
  createPlaceholder,
  findPackageVersion,
  getPackageName,
  isMissingModule,
  readLoaderSpecifier,
  readNotFoundTarget,
  resolveFromCwd,
} from './missing-module.js'
import { readShardEnv } from './shard-env.js'
import { skipTestsOf } from './skip-suite.js'

export interface ImportOrSkipOptions {
  /** Skip (or, where provided, fail) when the installed version is lower, as read from the package's package.json. */
  minVersion?: string
  /** Replaces `missing module '<name>'` in the skip reason; the container part is kept. */
  reason?: string
}

export interface ImportOrSkipLoaderOptions extends ImportOrSkipOptions {
  /** Module name for reasons, `provides` and minVersion; default: read from the loader's `import('…')`. */
  name?: string
}

/**
 * Imports `specifier` (a package name, resolved from xtest's location, then from the working directory). When it is
 * not installed, every test of the current suite (the file, at top level) is skipped with the reason
 * `missing module '<name>' (container <container>)`, and a placeholder is returned. A module that exists but throws, or
 * whose own imports are missing, fails. In a container whose `provides` lists the module, missing also fails.
 * @example const solver = await importOrSkip<typeof import('opt-solver')>('opt-solver')
 */
export function importOrSkip<T = any>(specifier: string, options?: ImportOrSkipOptions): Promise<T>
/**
 * The same with a loader, which resolves from the test file through Vitest and infers the module type.
 * @example const solver = await importOrSkip(() => import('opt-solver'), { minVersion: '2.1' })
 */
export function importOrSkip<T>(load: () => Promise<T>, options?: ImportOrSkipLoaderOptions): Promise<T>
export async function importOrSkip(target: string | (() => Promise<unknown>), options: ImportOrSkipLoaderOptions = {}): Promise<unknown> {
  let name = typeof target === 'string' ? target : (options.name ?? readLoaderSpecifier(target))
  let loaded: { module: unknown; file: string | null }
  try {
    loaded = typeof target === 'string' ? await importSpecifier(target) : { module: await target(), file: null }
  } catch (error) {
    if (!isMissingModule(error, name)) throw error
    name ??= readNotFoundTarget(error)?.target ?? 'unknown'
    return skipOrFail(name, options.reason ?? `missing module '${name}'`, error)
  }
  const packageName = name && getPackageName(name)
  if (options.minVersion && packageName) {
    const version = findPackageVersion(packageName, loaded.file)
    if (!(await isAtLeast(version, options.minVersion))) {
      return skipOrFail(name!, options.reason ?? `module '${name}' is ${version ?? 'of unknown version'}, need >= ${options.minVersion}`)
    }
  }
  return loaded.module
}

async function importSpecifier(specifier: string): Promise<{ module: unknown; file: string | null }> {
  if (getPackageName(specifier) === null && !specifier.startsWith('node:')) {
    throw new TypeError(
      `importOrSkip('${specifier}'): pass a package name, or a loader for paths: importOrSkip(() => import('${specifier}'))`,
    )
  }
  let url: string
  try {
    url = import.meta.resolve(specifier)
  } catch (error) {
    // A workspace package may see modules that xtest's own node_modules does not.
    const file = isMissingModule(error, specifier) ? resolveFromCwd(specifier) : null
    if (!file) throw error
    url = pathToFileURL(file).href
  }
  return { module: await import(url), file: url.startsWith('file:') ? fileURLToPath(url) : null }
}

// semver loads only for a minVersion check: every shard's Vitest loads this module through xtest/vitest.
async function isAtLeast(version: string | null, minVersion: string): Promise<boolean> {
  const { default: semver } = await import('semver')
  const have = version && (semver.valid(version) ?? semver.coerce(version)?.version)
  const need = semver.valid(minVersion) ?? semver.coerce(minVersion)?.version
  if (!need) throw new TypeError(`importOrSkip: minVersion '${minVersion}' is not a version`)
  return !!have && semver.gte(have, need)
}

// A container that declares the module in `provides` must have it: there, missing is a failure, never a skip.
async function skipOrFail(name: string, what: string, cause?: unknown): Promise<unknown> {
  const { container, provides } = readShardEnv()
  const packageName = getPackageName(name)
  if (container && provides.some((provided) => provided === name || provided === packageName)) {
    throw new Error(`${what} in container ${container}, which lists '${name}' in provides`, { cause })
  }
  await skipCurrentScope(`${what} (${container ? `container ${container}` : 'no xtest container'})`)
  return createPlaceholder(name)
}

// vitest is imported here, on first use: `import { defineConfig } from 'vitest-xtest'` in a config file stays light.
async function skipCurrentScope(reason: string): Promise<void> {
  const { beforeAll, beforeEach, TestRunner } = await import('vitest')
  // Called inside a running test: skip just that test.
  TestRunner.getCurrentTest()?.context.skip(reason)
  // Called while collecting (top of a file or describe): skip every test of that suite, before its hooks run.
  // biome-ignore lint/correctness/noEmptyPattern: required, Vitest reads a hook's first parameter as a fixtures object.
  beforeAll(({}, suite) => skipTestsOf(suite as RunnerTestSuite, reason))
  beforeEach((context) => context.skip(reason))
}
