// Whether a stored result still holds: every part of its key as it is now. The first difference is the reason a
// file runs (new image, config changed, changed module X, ...), which `xtest plan` shows and the property test checks.

import type { BaseParts, CacheEntry, Lookup } from '../../store/result-store.js'
import { PART_CHANGES } from './cache-key.js'
import type { RepoHasher } from './file-hash.js'
import { changedInput, type Probe } from './observed-inputs.js'

export type CacheVerdict = { hit: true; entry: CacheEntry } | { hit: false; reason: string }

/** `/** @xtest-no-cache *\/` in a JSDoc block of the test file: never reused, never stored. */
export const NO_CACHE_DOCBLOCK = /\/\*\*(?:(?!\*\/)[\s\S])*?@xtest-no-cache\b/

/** The verdict for one test file. `testFile` is its repository-relative path; `base` the shared part of its key as it is now. */
function checkEntry(entry: CacheEntry | undefined, base: BaseParts, testFile: string, hasher: RepoHasher, probe: Probe): CacheVerdict {
  if (entry === undefined) return { hit: false, reason: 'no entry' }
  if (entry.uncacheable !== undefined) return { hit: false, reason: entry.uncacheable }
  for (const part of Object.keys(PART_CHANGES) as Array<keyof BaseParts>) {
    if (entry.base[part] !== base[part]) return { hit: false, reason: PART_CHANGES[part] }
  }
  if (entry.modules[testFile] === undefined) return { hit: false, reason: 'the entry does not name its test file' }
  // The test file first, then the modules in order: the reason names the first that differs.
  for (const rel of [
    testFile,
    ...Object.keys(entry.modules)
      .filter((rel) => rel !== testFile)
      .sort(),
  ]) {
    const now = hasher.hash(rel)
    if (!now.ok) return { hit: false, reason: now.kind === 'missing' ? `module ${rel} is gone` : now.message }
    if (now.value.hash !== entry.modules[rel])
      return { hit: false, reason: rel === testFile ? 'test file changed' : `changed module ${rel}` }
  }
  const changed = changedInput(entry.inputs, probe)
  return changed === undefined ? { hit: true, entry } : { hit: false, reason: changed }
}

/**
 * The verdict over what a lookup found (newest first): the first entry that holds, else the reason the first one does
 * not. A newer entry that says the file cannot be cached (it spawned a process, read outside the repository...) ends
 * the search: the latest run saw inputs xtest cannot follow, so an older entry is no evidence.
 */
export function checkLookup(found: Lookup, base: BaseParts, testFile: string, hasher: RepoHasher, probe: Probe): CacheVerdict {
  if (found.entries.length === 0) return { hit: false, reason: found.ignored ?? 'no entry' }
  let first: CacheVerdict | undefined
  for (const entry of found.entries) {
    const verdict = checkEntry(entry, base, testFile, hasher, probe)
    if (verdict.hit) return verdict
    first ??= verdict
    if (entry.uncacheable !== undefined) break
  }
  return first!
}
