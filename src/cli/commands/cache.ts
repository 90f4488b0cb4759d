// `xtest cache info|clean`: where the result cache is, how many entries it holds and how big it is; or remove xtest's entries.

import { loadConfig } from '../../config/load.js'
import { findCacheDir } from '../../config/parse-cache.js'
import { UsageError } from '../../core/errors.js'
import { type Output, writeLine } from '../../shared/output.js'
import { resultStoreOf } from '../../store/result-store.js'

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

export async function cacheCommand(
  action: string,
  options: { config?: string },
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (action !== 'info' && action !== 'clean')
    throw new UsageError(`unknown cache action '${action}': use xtest cache info or xtest cache clean`)
  const config = await loadConfig({ configFile: options.config })
  const store = resultStoreOf(findCacheDir(config.root), env)
  if (!store) {
    writeLine(out.stdout, 'no result cache: no node_modules above the config and no XTEST_CACHE_DIR')
    return 0
  }
  // A folder xtest would not use is not one it cleans either: what is in it may be someone else's.
  if (store.problem) throw new UsageError(store.problem)
  if (action === 'clean') {
    writeLine(out.stdout, `removed ${store.clean()} entr(ies) from ${store.dir} (files xtest did not write stay)`)
    return 0
  }
  const entries = store.list().filter((each) => each.kind !== 'temp')
  const bytes = entries.reduce((sum, entry) => sum + entry.bytes, 0)
  writeLine(out.stdout, `result cache: ${store.dir}`)
  writeLine(
    out.stdout,
    `entries: ${entries.length}, size: ${mib(bytes)} of ${mib(store.maxBytes)} (least recently used entries go first past it)`,
  )
  writeLine(
    out.stdout,
    `signed: ${store.signed ? 'yes (XTEST_CACHE_SECRET is set: unsigned entries are ignored)' : 'no (XTEST_CACHE_SECRET is not set)'}`,
  )
  if (entries.length > 0) writeLine(out.stdout, `last used: ${new Date(entries[entries.length - 1]!.usedMs).toISOString()}`)
  return 0
}
