// Where Vite and Vitest may write caches inside a shard. Vitest 5 keeps its module cache (`fsModuleCache`, on by
// default) in node_modules/.vitest-cache and Vite its cache in node_modules/.vite: where the shard cannot write
// node_modules (a read-only mount, or root's install while the shard runs as another user) Vitest warned on every
// run. There the shard gets a private temp cacheDir (a tmpfs in Docker) and no module cache: a cache that no later
// run reads would only cost writes. Node built-ins only: this runs inside the shard.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface CacheConfigInput {
  cacheDir?: string
  root?: string
  test?: { fsModuleCache?: boolean; fsModuleCachePath?: string }
}

export interface CacheConfig {
  cacheDir?: string
  test?: { fsModuleCache: false }
}

/** The cache settings for a shard whose node_modules is not writable; undefined where the defaults work or the user chose. */
export function shardCacheConfig(
  config: CacheConfigInput,
  cwd = process.cwd(),
  writable = isWritable,
  makeTemp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-vite-')),
): CacheConfig | undefined {
  const root = path.resolve(cwd, config.root ?? '.')
  if (writable(nearestNodeModules(root) ?? root)) return undefined
  const result: CacheConfig = {}
  if (config.cacheDir === undefined) result.cacheDir = makeTemp()
  if (config.test?.fsModuleCache === undefined && config.test?.fsModuleCachePath === undefined) result.test = { fsModuleCache: false }
  return result.cacheDir || result.test ? result : undefined
}

function nearestNodeModules(dir: string): string | null {
  for (let current = dir; ; current = path.dirname(current)) {
    const candidate = path.join(current, 'node_modules')
    if (fs.existsSync(candidate)) return candidate
    if (path.dirname(current) === current) return null
  }
}

function isWritable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK)
    return true
  } catch {
    return false
  }
}
