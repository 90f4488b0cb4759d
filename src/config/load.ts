// Finding and importing xtest.config.*: a config is code, so it is loaded once, here, with its errors named.
import fs from 'node:fs'
import path from 'node:path'
import { ConfigError } from '../core/errors.js'
import { checkConfigSafety } from './check-safety.js'
import { importConfigInWorker } from './import-config.js'
import { type ResolvedConfig, toResolvedConfig } from './normalize.js'
import { findCacheDir, readCachedParse, writeCachedParse } from './parse-cache.js'

export const CONFIG_NAMES = ['xtest.config.ts', 'xtest.config.mts', 'xtest.config.js', 'xtest.config.mjs', 'xtest.config.json'] as const

/** Finds xtest.config.* in `cwd` or the nearest directory above it. */
export function findConfigFile(cwd: string): string | null {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name)
      if (fs.existsSync(candidate)) return candidate
    }
    if (path.dirname(dir) === dir) return null
  }
}

export interface LoadConfigOptions {
  cwd?: string
  /** An explicit config file (`--config FILE`). */
  configFile?: string
}

/** Finds, imports and validates the config. Throws ConfigError (exit 2) naming the file. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd()
  const file = options.configFile ? path.resolve(cwd, options.configFile) : findConfigFile(cwd)
  if (!file) {
    throw new ConfigError(`no xtest config found in ${cwd} or above (looked for ${CONFIG_NAMES.join(', ')})`, 'XTEST_CONFIG_NOT_FOUND', {
      hint: 'create xtest.config.ts with `export default defineConfig({ containers: { ... } })`',
    })
  }
  if (!fs.existsSync(file)) throw new ConfigError(`config file not found: ${file}`, 'XTEST_CONFIG_NOT_FOUND')
  const raw = await importConfigFile(file)
  const root = path.dirname(file)
  const cached = readCachedParse(raw, root)
  if (cached) return checkConfigSafety(toResolvedConfig(cached, root, file))
  // zod loads only for a config that changed since its last successful check.
  const { parseConfig } = await import('./resolve.js')
  const parsed = parseConfig(raw, file)
  writeCachedParse(raw, root, parsed)
  return checkConfigSafety(toResolvedConfig(parsed, root, file))
}

// JSON is parsed here; code (TypeScript through jiti, JavaScript by import) runs in a worker with a time limit.
async function importConfigFile(file: string): Promise<unknown> {
  const name = path.relative(process.cwd(), file) || file
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'))
    } catch (error) {
      throw new ConfigError(
        `${name}: cannot load config: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        'XTEST_CONFIG_LOAD',
        { cause: error },
      )
    }
  }
  // jiti keeps what it transpiled (keyed by each file's source hash): an unchanged TypeScript config loads ~0.2 s
  // sooner. In our own cache folder, never jiti's default in the shared system temp folder.
  const cacheDir = findCacheDir(path.dirname(file))
  const loaded = await importConfigInWorker(file, cacheDir ? path.join(cacheDir, 'jiti') : false)
  if (loaded.ok) return loaded.value
  // A syntax error names its line and column: `xtest.config.ts:3:2: cannot load config: ...`.
  const where = loaded.location ? locationIn(loaded.location, file, name) : name
  throw new ConfigError(`${where}: cannot load config: ${loaded.message}`, 'XTEST_CONFIG_LOAD')
}

// `/abs/xtest.config.ts:3:2` → `xtest.config.ts:3:2` when it is the config itself; else the config, then the place.
function locationIn(location: string, file: string, name: string): string {
  const match = /^(?:file:\/\/)?(.*):(\d+):(\d+)$/.exec(location)
  if (!match) return name
  return match[1] === file
    ? `${name}:${match[2]}:${match[3]}`
    : `${name} (at ${path.relative(process.cwd(), match[1]!) || match[1]}:${match[2]}:${match[3]})`
}
