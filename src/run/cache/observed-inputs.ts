// What a stored result depended on besides its modules, as the host checks it: files its test read (`read:`), folders
// it listed (`list:`, the sorted names), paths it stat-ed (`stat:`, existence and type), and on the local runtime the
// variables the shard inherits (`env:`). The shard only names them; their values are always the host's own reading
// of the repository and of its environment, at store time and again at lookup.
import fs from 'node:fs'
import path from 'node:path'
import { fail, ok, type Result } from '../../core/result.js'
import { allowlistedHostEnv, LOCAL_ENV_ALLOWLIST } from '../../runtimes/local-env.js'
import { type RepoHasher, sha256 } from './file-hash.js'

/** `read:<rel>`, `list:<rel>`, `stat:<rel>` or `env:<NAME>` (`env:` alone: the names of the LC_* variables). */
export type InputKey = string

const ABSENT = 'absent'

/** The current value of one input: a hash, `absent`, a type; a failure when the host refuses to read it. */
export type Probe = (key: InputKey) => Result<string>

/** The host's probe: the repository through `hasher` (no link followed), the env a local shard would inherit. */
export function hostProbe(hasher: RepoHasher, hostEnv: NodeJS.ProcessEnv): Probe {
  const inherited = allowlistedHostEnv(hostEnv)
  const memo = new Map<string, Result<string>>()
  return (key) => {
    let found = memo.get(key)
    if (found === undefined) memo.set(key, (found = probeOnce(key, hasher, inherited)))
    return found
  }
}

function probeOnce(key: InputKey, hasher: RepoHasher, inherited: Record<string, string>): Result<string> {
  const colon = key.indexOf(':')
  const kind = key.slice(0, colon)
  const rest = key.slice(colon + 1)
  if (kind === 'env') {
    if (rest === '')
      return ok(
        digest(
          Object.keys(inherited)
            .filter((name) => name.startsWith('LC_'))
            .sort(),
        ),
      )
    return ok(inherited[rest] === undefined ? ABSENT : digest(inherited[rest]))
  }
  if (kind === 'read') {
    const found = hasher.hash(rest)
    if (found.ok) return ok(found.value.hash)
    return found.kind === 'missing' ? ok(ABSENT) : found
  }
  const where = hasher.locate(rest)
  if (!where.ok) return where
  if (where.value === null) return ok(ABSENT)
  let stat: fs.Stats
  try {
    stat = fs.lstatSync(where.value)
  } catch {
    return ok(ABSENT)
  }
  const type = stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : stat.isSymbolicLink() ? 'link' : 'other'
  if (kind !== 'stat' && kind !== 'list') return fail(`unknown input ${key.slice(0, 100)}`)
  if (kind === 'stat' || type !== 'dir') {
    const changed = hasher.changedWhileRunning(rest, stat)
    return changed === undefined ? ok(type) : fail(changed)
  }
  let names: string[]
  try {
    names = fs.readdirSync(where.value)
    // A folder's times change with its entries, and are looked at after the listing (as RepoHasher reads a file):
    // unchanged since the run started, the listing is the one the run saw.
    stat = fs.lstatSync(where.value)
  } catch (error) {
    return fail(`cannot list ${rest}: ${(error as Error).message}`)
  }
  const changed = hasher.changedWhileRunning(rest, stat)
  return changed === undefined ? ok(digest(names.sort())) : fail(changed)
}

const digest = (value: unknown): string => sha256(JSON.stringify(value)).slice(0, 32)

/** The snapshot file Vitest resolves for a test file by default: `<dir>/__snapshots__/<name>.snap` (repo-relative). */
export function defaultSnapshotOf(testFile: string): string {
  const dir = path.posix.dirname(testFile)
  return path.posix.join(dir === '.' ? '' : dir, '__snapshots__', `${path.posix.basename(testFile)}.snap`)
}

/** The keys of the variables a local shard inherits: every allowlisted name (present or not) and the LC_* names. */
export function inheritedEnvKeys(hostEnv: NodeJS.ProcessEnv): InputKey[] {
  const lc = Object.keys(allowlistedHostEnv(hostEnv)).filter((name) => name.startsWith('LC_'))
  return ['env:', ...[...LOCAL_ENV_ALLOWLIST, ...lc].map((name) => `env:${name}`)]
}

/** What `xtest plan --files` says when an input differs: `snapshot t/__snapshots__/a.test.ts.snap changed`, `env TZ changed`. */
function describeInputChange(key: InputKey, stored: string, now: string): string {
  const colon = key.indexOf(':')
  const kind = key.slice(0, colon)
  const rest = key.slice(colon + 1)
  if (kind === 'env') return rest === '' ? 'env LC_* variables changed' : `env ${rest} changed`
  const what = kind === 'list' ? `listing of ${rest}` : rest.endsWith('.snap') ? `snapshot ${rest}` : `file ${rest}`
  if (stored === ABSENT) return `${what} appeared`
  if (now === ABSENT) return `${what} is gone`
  return kind === 'list' ? `${what} changed` : kind === 'stat' ? `${what} changed type` : `${what} changed`
}

/** The first input that differs from what was stored, as the reason a file runs; undefined when all still hold. */
export function changedInput(inputs: Record<InputKey, string>, probe: Probe): string | undefined {
  for (const key of Object.keys(inputs).sort()) {
    const now = probe(key)
    if (!now.ok) return now.message
    if (now.value !== inputs[key]) return describeInputChange(key, inputs[key]!, now.value)
  }
  return undefined
}
