import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test, vi } from 'vitest'
import { resolveConfig } from '../../src/config/resolve.js'
import type { ShardOutcome } from '../../src/core/shard.js'
import type { JUnitReport } from '../../src/report/types.js'
import { ResultCache } from '../../src/run/cache/result-cache.js'
import { storeResults } from '../../src/run/cache/store-results.js'
import { ResultStore, resultStoreOf } from '../../src/store/result-store.js'
import { localShardSpec } from '../helpers/cache-shard.js'
import { random } from '../helpers/random.js'

// A shared cache with XTEST_CACHE_SECRET: an entry counts only with a valid HMAC over its key and its bytes. Over
// random byte flips and truncations of a stored entry, and entries moved under another key, nothing is ever a hit.
const SECRET = 'a-secret-of-the-ci-0123456789abcdef'
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

const files = ['a.test.js', 'b.test.js']
const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-cache-secret-')))
dirs.push(root)
fs.writeFileSync(path.join(root, 'xtest.config.json'), '{}')
for (const file of files) fs.writeFileSync(path.join(root, file), `// ${file}\n`)
const config = resolveConfig({ containers: { amp: { runtime: 'local' } } }, root, path.join(root, 'xtest.config.json'))
const spec = localShardSpec(root, files)
fs.mkdirSync(spec.shardDir)
// A whole record, as a shard writes it: the main process's line (env files, globalSetup), then each file's inputs.
const none = { reads: [], lists: [], stats: [], opaque: [] }
fs.writeFileSync(
  path.join(spec.shardDir, 'modules.ndjson'),
  [
    { config: { envFiles: [], globalSetup: [], ...none } },
    ...files.map((file) => ({ file, modules: [path.join(root, file)], complete: true, ...none })),
  ]
    .map((line) => `${JSON.stringify(line)}\n`)
    .join(''),
)
const report: JUnitReport = {
  suites: files.map((file) => ({
    name: `amp/fast/${file}`,
    file,
    time: 0.01,
    properties: [
      { name: 'shard', value: 'amp.fast' },
      { name: 'status', value: 'passed' },
    ],
    cases: [{ classname: file, name: 'x', time: 0.01, result: 'passed' as const, properties: [] }],
  })),
}
const outcome = { id: 'amp.fast', runtime: 'local', exitCode: 0 } as ShardOutcome

// The run starts a second after the fixture was written (what changed within a clock tick of the start is never stored).
const cacheOf = (dir: string, secret?: string) => {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1000 })
  try {
    return new ResultCache({ config, repoRoot: root, reuse: true }, new ResultStore(dir, undefined, secret))
  } finally {
    vi.useRealTimers()
  }
}
const cachedFiles = (cache: ResultCache) => cache.select([spec], () => 'local').cached.map((each) => each.suite.file)
function storeInto(secret?: string): { dir: string; entries: string[] } {
  const dir = fs.mkdtempSync(path.join(root, 'cache-'))
  expect(storeResults(cacheOf(dir, secret), { runId: 'r1', report, specs: [spec], outcomes: [outcome] })).toBe(2)
  return { dir, entries: fs.readdirSync(dir).map((name) => path.join(dir, name)) }
}

test('signed entries are hits with the secret; unsigned ones, or another secret, are ignored with one warning', () => {
  const signed = storeInto(SECRET)
  expect(cachedFiles(cacheOf(signed.dir, SECRET))).toEqual(files)
  expect(fs.readFileSync(signed.entries[0]!, 'utf8')).toMatch(/^xtest-result-cache 2 [0-9a-f]{64}\n\{/)
  // Without a secret nothing is verified: a shared cache is then as trustworthy as everyone who can write it.
  expect(cachedFiles(cacheOf(signed.dir))).toEqual(files)
  const other = cacheOf(signed.dir, `${SECRET}-rotated`)
  expect(cachedFiles(other)).toEqual([])
  expect(other.corruptionWarning()).toBe(
    `the result cache ignored 2 entries without a valid XTEST_CACHE_SECRET signature in ${signed.dir} (their files ran; passing ones are stored again)`,
  )
  const unsigned = storeInto()
  expect(fs.readFileSync(unsigned.entries[0]!, 'utf8')).toMatch(/^xtest-result-cache 2 unsigned\n\{/)
  const strict = cacheOf(unsigned.dir, SECRET)
  expect(strict.verdicts(spec, 'local')).toEqual(
    files.map(() => ({ hit: false, reason: 'entry not signed with XTEST_CACHE_SECRET (ignored)' })),
  )
  expect(cachedFiles(strict)).toEqual([])
  expect(strict.store.untrusted).toBe(2)
  // A run with the secret replaces the unsigned entries with signed ones.
  storeResults(strict, { runId: 'r2', report, specs: [spec], outcomes: [outcome] })
  expect(fs.readdirSync(unsigned.dir)).toHaveLength(2)
  expect(cachedFiles(cacheOf(unsigned.dir, SECRET))).toEqual(files)
})

test('property: a stored entry with random byte flips or truncations is never a hit with a secret set', () => {
  const { dir, entries } = storeInto(SECRET)
  const originals = entries.map((file) => fs.readFileSync(file))
  const testFileOf = originals.map((bytes) => files.find((file) => bytes.includes(`"file":"${file}"`))!)
  const rand = random(20)
  for (let round = 0; round < 300; round++) {
    const which = rand(entries.length)
    const bytes = Buffer.from(originals[which]!)
    let mutated: Buffer = bytes
    const kind = rand(3)
    if (kind !== 1) for (let flips = 1 + rand(3); flips > 0; flips--) bytes[rand(bytes.length)]! ^= 1 + rand(255)
    if (kind !== 0) mutated = bytes.subarray(0, rand(bytes.length))
    for (const [i, file] of entries.entries()) fs.writeFileSync(file, i === which ? mutated : originals[i]!)
    const cache = cacheOf(dir, SECRET)
    const context = `round ${round}: kind ${kind}, ${mutated.length} of ${originals[which]!.length} bytes`
    expect(cachedFiles(cache), context).toEqual(files.filter((file) => file !== testFileOf[which]))
    expect(cache.store.corrupt + cache.store.untrusted, context).toBe(1)
  }
  // A valid entry moved under another file's key (name) is no hit either.
  const [a, b] = entries.map((file) => fs.readFileSync(file))
  fs.writeFileSync(entries[0]!, b!)
  fs.writeFileSync(entries[1]!, a!)
  expect(cachedFiles(cacheOf(dir, SECRET))).toEqual([])
})

test('a secret too short to be one is refused with one line', () => {
  expect(() => resultStoreOf(root, { XTEST_CACHE_SECRET: 'short' })).toThrow(
    'XTEST_CACHE_SECRET has 5 characters: use at least 16 random ones (e.g. openssl rand -hex 32)',
  )
  // Empty is none: what a fork's build gets for a secret it may not read.
  expect(resultStoreOf(root, { XTEST_CACHE_SECRET: '' })?.signed).toBe(false)
})
