import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { CACHED } from '../../src/report/cached-suites.js'
import { setRunProperties } from '../../src/report/run-properties.js'
import { ResultStore, type CacheEntry } from '../../src/run/cache/cache-store.js'
import { readModuleLists, toRepoPath, type ShardPathView } from '../../src/run/cache/module-paths.js'
import { RepoHasher } from '../../src/run/cache/file-hash.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})
const temp = () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-store-')))
  dirs.push(dir)
  return dir
}

const address = { configRel: 'xtest.config.json', container: 'amp', tier: 'fast', file: 'a.test.js' }
const entry = (runId = 'r1'): CacheEntry => ({
  version: 1,
  container: 'amp',
  tier: 'fast',
  file: 'a.test.js',
  runId,
  createdAt: '',
  modules: { 'a.test.js': 'h' },
  inputs: {},
  base: { image: 'i', versions: 'v', config: 'c', vitestConfig: 'vc', env: 'e', args: 'a', lockfile: 'l', inputs: 'in' },
  suite: {
    name: 'amp/fast/a.test.js',
    time: 0,
    properties: [],
    cases: [{ classname: 'a', name: 'x', time: 0, result: 'passed', properties: [] }],
  },
})

test('an entry round-trips; a corrupt one, a link, or one holding a failure is ignored and counted once each', () => {
  const store = new ResultStore(temp())
  store.write(address, entry())
  expect(store.read(address)?.runId).toBe('r1')
  const [file] = store.list()
  fs.writeFileSync(file!.file, '{"version":1,')
  expect(store.read(address)).toBeUndefined()
  const failing = entry()
  failing.suite.cases[0]!.result = 'failed'
  fs.writeFileSync(file!.file, JSON.stringify(failing))
  expect(store.read(address)).toBeUndefined()
  fs.rmSync(file!.file)
  fs.symlinkSync('/etc/passwd', file!.file)
  expect(store.read(address)).toBeUndefined()
  expect(store.corrupt).toBe(3)
})

test('past the size cap the least recently used entries go', () => {
  const dir = temp()
  const addresses = ['a', 'b', 'c', 'd'].map((name) => ({ ...address, file: `${name}.test.js` }))
  const write = (store: ResultStore) =>
    addresses.forEach((each, i) => {
      store.write(each, { ...entry(), file: each.file, suite: { ...entry().suite, name: `amp/fast/${each.file}` } })
      const when = new Date(Date.now() - (10 - i) * 1000) // a is the oldest, d the newest
      fs.utimesSync(store.pathOf(each), when, when)
    })
  const size = (() => {
    const probe = new ResultStore(temp())
    write(probe)
    return probe.list()[0]!.bytes
  })()
  const store = new ResultStore(dir, Math.floor(size * 2.5))
  write(store)
  store.touch(addresses[0]!) // a was just used: b and c are now the least recently used
  expect(store.evict()).toBe(2)
  expect(addresses.map((each) => store.read(each) !== undefined)).toEqual([true, false, false, true])
})

test('module paths: the repo maps back; outside, climbing out, odd paths and refused prefixes make a file uncacheable', () => {
  const docker: ShardPathView = { repoRoots: ['/app'], covered: ['/opt/xtest'], imageCovers: true, refused: ['/tmp', '/xtest/out'] }
  expect(toRepoPath('/app/src/a.ts', docker)).toEqual({ ok: true, value: 'src/a.ts' })
  expect(toRepoPath('/opt/xtest/dist/vitest/index.js', docker)).toEqual({ ok: true, value: null })
  expect(toRepoPath('/usr/local/lib/node_modules/opt-solver/index.js', docker)).toEqual({ ok: true, value: null })
  expect(toRepoPath('/tmp/planted.js', docker)).toMatchObject({ ok: false, message: expect.stringMatching(/outside the repository/) })
  expect(toRepoPath('/app/../etc/passwd', docker)).toMatchObject({ ok: false, message: expect.stringMatching(/odd module path/) })
  expect(toRepoPath('relative.js', docker)).toMatchObject({ ok: false, message: expect.stringMatching(/odd module path/) })
  const local: ShardPathView = { repoRoots: ['/repo'], covered: [], imageCovers: false, refused: [] }
  expect(toRepoPath('/etc/hostname', local)).toMatchObject({ ok: false, message: expect.stringMatching(/outside the repository/) })
  const none = { reads: [], lists: [], stats: [], opaque: [] }
  const text = [
    JSON.stringify({ config: { envFiles: ['/repo/pkg/.env'], globalSetup: [], ...none } }),
    JSON.stringify({
      file: 'a.test.js',
      modules: ['/repo/pkg/a.test.js', '/repo/lib/x.js'],
      complete: true,
      ...none,
      lists: ['/repo/data'],
    }),
    JSON.stringify({ file: 'f.test.js', modules: [], complete: true, ...none, opaque: ['spawns a process at f.test.js:3'] }),
    JSON.stringify({ file: 'g.test.js', modules: [], complete: true, ...none, reads: ['/home/me/.npmrc'] }),
    JSON.stringify({ file: 'h.test.js', modules: [], complete: true }),
    JSON.stringify({ file: 'b.test.js', modules: ['/etc/hostname'], complete: true }),
    JSON.stringify({ file: 'c.test.js', modules: [], complete: false }),
    JSON.stringify({ file: '../other/d.test.js', modules: [], complete: true }),
    '{not json',
  ].join('\n')
  const planned = ['pkg/a.test.js', 'pkg/b.test.js', 'pkg/c.test.js', 'pkg/e.test.js', 'pkg/f.test.js', 'pkg/g.test.js', 'pkg/h.test.js']
  const lists = readModuleLists(text, planned, 'pkg', local)
  expect(Object.fromEntries(lists)).toEqual({
    'pkg/a.test.js': {
      ok: true,
      value: { modules: ['lib/x.js', 'pkg/a.test.js'], reads: ['pkg/.env'], lists: ['data'], stats: [], setup: [] },
    },
    'pkg/f.test.js': { ok: false, message: 'spawns a process at f.test.js:3' },
    'pkg/g.test.js': { ok: false, message: 'it reads /home/me/.npmrc outside the repository' },
    'pkg/h.test.js': { ok: false, message: 'the shard could not list all of its modules' },
    'pkg/b.test.js': { ok: false, message: 'module /etc/hostname is outside the repository' },
    'pkg/c.test.js': { ok: false, message: 'the shard could not list all of its modules' },
    'pkg/e.test.js': { ok: false, message: 'the shard listed no modules for it' },
  })
  // Without the config line (which env and globalSetup files Vitest loaded) nothing is cacheable.
  const withoutConfig = readModuleLists(text.split('\n').slice(1).join('\n'), ['pkg/a.test.js'], 'pkg', local)
  expect(withoutConfig.get('pkg/a.test.js')).toMatchObject({ ok: false, message: expect.stringMatching(/env and globalSetup/) })
})

test('hashing never follows a link, not even a linked folder on the way', () => {
  const repo = temp()
  fs.mkdirSync(path.join(repo, 'real'))
  fs.writeFileSync(path.join(repo, 'real/a.js'), 'x')
  fs.symlinkSync(path.join(repo, 'real/a.js'), path.join(repo, 'link.js'))
  fs.symlinkSync(path.join(repo, 'real'), path.join(repo, 'linked'))
  const hasher = new RepoHasher(repo)
  expect(hasher.hash('real/a.js').ok).toBe(true)
  expect(hasher.hash('link.js')).toMatchObject({ ok: false, kind: 'refused' })
  expect(hasher.hash('linked/a.js')).toMatchObject({ ok: false, kind: 'refused' })
  expect(hasher.hash('../etc/passwd')).toMatchObject({ ok: false, kind: 'refused' })
})

test('a shard cannot mark its own suites as taken from the cache', () => {
  const suites = setRunProperties([{ name: 'amp/fast/a.test.js', time: 0, properties: [{ name: CACHED, value: 'forged' }], cases: [] }])
  expect(suites[0]!.properties).toEqual([])
})
