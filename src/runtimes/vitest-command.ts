// How a shard invokes Vitest: the tier filter, the wrapper config and the argv (docs/internals.md).
import fs from 'node:fs'
import path from 'node:path'
import type { Tier } from '../core/tiers.js'

/** The `--tags-filter` expression of each tier; `!` rather than `not`, which needs trailing whitespace. */
export function tierFilter(tier: Tier): string {
  switch (tier) {
    case 'fast':
      return '!slow && !superslow'
    case 'slow':
      return 'slow && !superslow'
    case 'superslow':
      return 'superslow'
  }
}

export interface WrapperConfigInput {
  /** The user's Vitest config as the shard sees it (absolute), or null. */
  userConfigPath: string | null
  /** xtest's dist/vitest/index.js as the shard sees it (absolute). */
  pluginPath: string
  /** Set when the run collects coverage: the shard's own writable folder (out/) as the shard sees it. */
  coverageDir?: string
}

/**
 * The shard's coverage, whatever the user's config says about where and how: raw JSON only (the host merges and
 * reports), in out/ (a read-only repository), no thresholds (they apply to the merged result), also after a
 * failed test. The user's own reporters, thresholds and watermarks go to out/coverage-options.json for the host.
 */
function coverageLines(outDir: string): string[] {
  const dir = JSON.stringify(path.posix.join(outDir, 'coverage'))
  const options = JSON.stringify(path.posix.join(outDir, 'coverage-options.json'))
  return [
    '  const test = resolved.test ?? {}',
    '  const coverage = test.coverage ?? {}',
    '  const { provider, reporter, thresholds, watermarks } = coverage',
    `  writeFileSync(${options}, JSON.stringify({ provider, reporter, thresholds, watermarks }) ?? '{}')`,
    "  const json = [['json', { file: '../coverage-final.json' }]]",
    `  resolved.test = { ...test, coverage: { ...coverage, enabled: true, reporter: json, reportsDirectory: ${dir}, thresholds: undefined, reportOnFailure: true, clean: true } }`,
  ]
}

/**
 * JS source of the shard's `vitest.config.mjs`: the user's config (an object, a promise or a function of the
 * config env) with the xtest plugin appended. It imports no package, so it works from the run folder, where
 * no node_modules is in reach; Vite bundles it together with a TypeScript user config.
 */
export function renderWrapperConfig({ userConfigPath, pluginPath, coverageDir }: WrapperConfigInput): string {
  if (!path.isAbsolute(pluginPath)) throw new Error(`pluginPath must be absolute: ${pluginPath}`)
  if (userConfigPath !== null && !path.isAbsolute(userConfigPath)) throw new Error(`userConfigPath must be absolute: ${userConfigPath}`)
  const lines = [
    "// Written by xtest for one shard: the project's Vitest config plus the xtest plugin. Do not edit.",
    `import { xtest } from ${JSON.stringify(pluginPath)}`,
    ...(coverageDir ? ["import { writeFileSync } from 'node:fs'"] : []),
    userConfigPath ? `import userConfig from ${JSON.stringify(userConfigPath)}` : 'const userConfig = {}',
    '',
    'export default async function xtestShardConfig(env) {',
    "  const resolved = { ...((await (typeof userConfig === 'function' ? userConfig(env) : userConfig)) ?? {}) }",
    ...(coverageDir ? coverageLines(coverageDir) : []),
    '  return { ...resolved, plugins: [...(resolved.plugins ?? []), xtest()] }',
    '}',
    '',
  ]
  return lines.join('\n')
}

export type ConfigLoader = 'native' | 'bundle'

// Relative imports Node loads as they are: a config whose imports all look like this needs no transform.
const PLAIN_JS = /\.(?:mjs|cjs|js|json)$/
const JS_CONFIG = /\.(?:mjs|cjs|js)$/

/**
 * How Vitest should load the shard's config (`runner` is deprecated since Vite 8.4 and goes in Vite 9):
 * - `native` (Node's own import, about 0.15 s faster per shard) when the user's config is JavaScript whose
 *   relative imports all name .js/.mjs/.cjs/.json files, or when there is none;
 * - `bundle` for TypeScript, or a config that imports TypeScript or extensionless paths. It writes the bundled
 *   config to `<nearest node_modules of the wrapper>/.vite-temp/`; writeWrapperConfig puts an empty node_modules
 *   beside the wrapper, in the shard folder, so that this never touches the repository's (read-only in shards).
 */
export function chooseConfigLoader(userConfigPath: string | null): ConfigLoader {
  if (userConfigPath === null) return 'native'
  if (!JS_CONFIG.test(userConfigPath)) return 'bundle'
  const source = fs.readFileSync(userConfigPath, 'utf8')
  const specifiers = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"]*)\1/g)
  for (const [, , specifier] of specifiers) if (!PLAIN_JS.test(specifier!)) return 'bundle'
  return 'native'
}

/**
 * Writes the wrapper config (renderWrapperConfig) to `wrapperPath` and an empty `node_modules/` beside it: Vite's
 * `bundle` loader writes its temp file into the nearest node_modules of the config (it resolves the config's
 * imports to absolute URLs, so the folder only has to be writable).
 */
export function writeWrapperConfig(wrapperPath: string, input: WrapperConfigInput): void {
  fs.mkdirSync(path.join(path.dirname(wrapperPath), 'node_modules'), { recursive: true })
  fs.writeFileSync(wrapperPath, renderWrapperConfig(input))
}

export interface VitestArgvInput {
  /** vitest/vitest.mjs as the shard sees it. */
  vitestEntry: string
  /** The wrapper config as the shard sees it. */
  wrapperPath: string
  /** See chooseConfigLoader; `--configLoader` among userArgs wins. */
  configLoader: ConfigLoader
  tier: Tier
  /** Arguments after `--` on xtest's command line, passed through unchanged. */
  userArgs: readonly string[]
}

/** argv after `node`: `<vitest.mjs> run --config <wrapper> --configLoader <loader> --passWithNoTests --tags-filter <expr> ...userArgs`. */
export function vitestArgv({ vitestEntry, wrapperPath, configLoader, tier, userArgs }: VitestArgvInput): string[] {
  const userChoosesLoader = userArgs.some((arg) => arg === '--configLoader' || arg.startsWith('--configLoader='))
  return [
    vitestEntry,
    'run',
    '--config',
    wrapperPath,
    ...(userChoosesLoader ? [] : ['--configLoader', configLoader]),
    '--passWithNoTests',
    '--tags-filter',
    tierFilter(tier),
    ...userArgs,
  ]
}
