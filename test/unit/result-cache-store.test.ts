import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { CACHED } from '../../src/report/cached-suites.js'
import { setRunProperties } from '../../src/report/run-properties.js'
import { RepoHasher } from '../../src/run/cache/file-hash.js'
import { readModuleLists, type ShardPathView, toRepoPath } from '../../src/run/cache/module-paths.js'
import { type CacheEntry, ResultStore } from '../../src/store/result-store.js'

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

const base = entry().base
const other = { ...base, image: 'docker-image' }
const only = (store: ResultStore) => store.list().filter((each) => each.kind === 'entry')

test('an entry round-trips; a corrupt one, a link, or one holding a failure is ignored and counted once each', () => {
  const store = new ResultStore(temp())
  store.write(address, entry())
  expect(store.lookup(address, base).entries[0]?.runId).toBe('r1')
  const [file] = only(store)
  const header = fs.readFileSync(file!.file, 'utf8').split('\n')[0]
  const readAgain = () => new ResultStore(store.dir).lookup(address, base)
  const counted = [] as number[]
  for (const content of [
    `${header}\n{"version":1,`,
    `${header}\n${JSON.stringify({ ...entry(), suite: { ...entry().suite, cases: [{ ...entry().suite.cases[0]!, result: 'failed' }] } })}`,
    'garbage',
  ]) {
    fs.writeFileSync(file!.file, content)
    const fresh = new ResultStore(store.dir)
    expect(fresh.lookup(address, base)).toEqual({ entries: [], ignored: 'unreadable entry (ignored)' })
    counted.push(fresh.corrupt)
  }
  // Wrong types where the report side expects numbers, strings, lists: no entry (never a crash later).
  const wrong = [
    { suite: { ...entry().suite, time: 'soon' } },
    { suite: { ...entry().suite, cases: [{ ...entry().suite.cases[0]!, time: {} }] } },
    { suite: { ...entry().suite, cases: [{ ...entry().suite.cases[0]!, properties: [{ name: 1, value: 'x' }] }] } },
    { suite: { ...entry().suite, cases: [{ ...entry().suite.cases[0]!, fault: { message: 'm', type: 't', body: '' } }] } },
    { suite: { ...entry().suite, systemOut: ['x'] } },
    { modules: ['a.test.js'] },
    { base: { ...base, image: 7 } },
    { suite: null },
  ]
  for (const change of wrong) {
    fs.writeFileSync(file!.file, `${header}\n${JSON.stringify({ ...entry(), ...change })}`)
    const fresh = new ResultStore(store.dir)
    expect(fresh.lookup(address, base).entries, JSON.stringify(change)).toEqual([])
    expect(fresh.corrupt).toBe(1)
  }
  // Huge (past the 16 MiB cap, with a valid start), a FIFO (never opened for reading, never blocks), a link.
  fs.writeFileSync(file!.file, `${header}\n${JSON.stringify(entry())}${' '.repeat(17 * 1024 * 1024)}`)
  expect(readAgain()).toEqual({ entries: [], ignored: 'unreadable entry (ignored)' })
  fs.rmSync(file!.file)
  execFileSync('mkfifo', [file!.file])
  expect(readAgain()).toEqual({ entries: [], ignored: 'unreadable entry (ignored)' })
  fs.rmSync(file!.file)
  fs.symlinkSync('/etc/passwd', file!.file)
  expect(readAgain().entries).toEqual([])
  expect(counted).toEqual([1, 1, 1])
})

test('entries are found by their full key: several keys of one file live side by side', () => {
  const store = new ResultStore(temp())
  store.write(address, entry('local-run'))
  store.write(address, { ...entry('docker-run'), base: other })
  store.write({ ...address, tier: 'slow' }, { ...entry('slow-run'), tier: 'slow', suite: { ...entry().suite, name: 'amp/slow/a.test.js' } })
  const fresh = new ResultStore(store.dir)
  expect(fresh.lookup(address, base).entries.map((each) => each.runId)).toEqual(['local-run'])
  expect(fresh.lookup(address, other).entries.map((each) => each.runId)).toEqual(['docker-run'])
  // No entry under a key: the newest entry of the file comes back to say which part changed.
  expect(fresh.lookup(address, { ...base, env: 'e2' }).entries).toHaveLength(1)
  expect(fresh.lookup({ ...address, file: 'b.test.js' }, base).entries).toEqual([])
  // The same key with other module contents (a branch switch): up to four variants, newest first.
  for (let i = 0; i < 6; i++) {
    store.write(address, { ...entry(`v${i}`), modules: { 'a.test.js': `h${i}` } })
    const when = new Date(Date.now() + i * 1000)
    fs.utimesSync(only(store).find((each) => fs.readFileSync(each.file, 'utf8').includes(`"v${i}"`))!.file, when, when)
  }
  expect(new ResultStore(store.dir).lookup(address, base).entries.map((each) => each.runId)).toEqual(['v5', 'v4', 'v3', 'v2'])
  expect(only(store)).toHaveLength(4 + 2)
})

test('an entry filed under a key not its own is no entry', () => {
  const store = new ResultStore(temp())
  store.write(address, entry())
  store.write(address, { ...entry('docker-run'), base: other })
  const [a, b] = only(store)
  const bytesA = fs.readFileSync(a!.file)
  fs.writeFileSync(a!.file, fs.readFileSync(b!.file))
  fs.writeFileSync(b!.file, bytesA)
  const fresh = new ResultStore(store.dir)
  expect(fresh.lookup(address, base).entries).toEqual([])
  expect(fresh.corrupt).toBe(1)
})

test('past the size cap the least recently used entries go', () => {
  const dir = temp()
  const addresses = ['a', 'b', 'c', 'd'].map((name) => ({ ...address, file: `${name}.test.js` }))
  const entryOf = (each: typeof address) => ({ ...entry(), file: each.file, suite: { ...entry().suite, name: `amp/fast/${each.file}` } })
  const write = (store: ResultStore) =>
    addresses.forEach((each, i) => {
      store.write(each, entryOf(each))
      const when = new Date(Date.now() - (10 - i) * 1000) // a is the oldest, d the newest
      const [file] = only(store).filter((listed) => fs.readFileSync(listed.file, 'utf8').includes(`"file":"${each.file}"`))
      fs.utimesSync(file!.file, when, when)
    })
  const size = (() => {
    const probe = new ResultStore(temp())
    write(probe)
    return probe.list()[0]!.bytes
  })()
  const store = new ResultStore(dir, Math.floor(size * 2.5))
  write(store)
  store.touch(store.lookup(addresses[0]!, base).entries[0]!) // a was just used: b and c are now the least recently used
  expect(store.evict()).toBe(2)
  const fresh = new ResultStore(dir)
  expect(addresses.map((each) => fresh.lookup(each, base).entries.length)).toEqual([1, 0, 0, 1])
})

test('clean and eviction remove only what xtest wrote: never a foreign file, a folder, a link or its target', () => {
  const dir = temp()
  const outside = path.join(temp(), 'precious.txt')
  fs.writeFileSync(outside, 'keep')
  const store = new ResultStore(dir)
  store.write(address, entry())
  const [written] = only(store)
  const stem = path.basename(written!.file)
  // Foreign files, some of them named like xtest's: a different content, a folder, links.
  const foreign = {
    'notes.txt': 'mine',
    [`${'a'.repeat(32)}-${'b'.repeat(32)}-${'c'.repeat(16)}.result`]: 'not an entry',
    [`${'d'.repeat(40)}.json`]: '{"mine":true}',
    [`${stem}.123.abc.tmp`]: 'half of something else',
  }
  for (const [name, text] of Object.entries(foreign)) fs.writeFileSync(path.join(dir, name), text)
  fs.mkdirSync(path.join(dir, `${'e'.repeat(40)}.json`))
  fs.symlinkSync(outside, path.join(dir, `${'f'.repeat(32)}-${'f'.repeat(32)}-${'f'.repeat(16)}.result`))
  fs.symlinkSync(path.dirname(outside), path.join(dir, 'linked-folder'))
  // xtest's own: an older entry, a writer's stale temp file.
  fs.writeFileSync(path.join(dir, `${'1'.repeat(40)}.json`), JSON.stringify(entry()))
  fs.writeFileSync(path.join(dir, `${stem}.999.xyz.tmp`), '')
  expect(store.clean()).toBe(2)
  expect(fs.readdirSync(dir).sort()).toEqual(
    [
      ...Object.keys(foreign),
      `${'e'.repeat(40)}.json`,
      `${'f'.repeat(32)}-${'f'.repeat(32)}-${'f'.repeat(16)}.result`,
      'linked-folder',
    ].sort(),
  )
  expect(fs.readFileSync(outside, 'utf8')).toBe('keep')
  expect(new ResultStore(dir, 1).evict()).toBe(0)
  expect(fs.readdirSync(dir)).toHaveLength(7)
})

test("a folder that is a link, another user's or writable by everyone is not used", () => {
  const real = temp()
  const link = path.join(temp(), 'link')
  fs.symlinkSync(real, link)
  const store = new ResultStore(link)
  expect(store.problem).toMatch(/^the result cache folder .*\/link is a symbolic link: xtest does not use it/)
  store.write(address, entry())
  expect(fs.readdirSync(real)).toEqual([])
  expect(store.lookup(address, base)).toEqual({ entries: [], ignored: store.problem })
  expect(store.warning()).toBe(store.problem)
  fs.chmodSync(real, 0o777)
  expect(new ResultStore(real).problem).toMatch(/is writable by every user/)
  fs.chmodSync(real, 0o700)
  if (process.getuid?.() === 0) {
    fs.chownSync(real, 65534, 65534)
    expect(new ResultStore(real).problem).toMatch(/belongs to another user \(uid 65534, you are 0\)/)
  }
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

test('the same record passing again keeps its entry unread (marked as used); the lookup that finds it bad has it replaced', () => {
  const store = new ResultStore(temp())
  store.write(address, entry('first'))
  const [file] = only(store)
  const inode = fs.statSync(file!.file).ino
  const old = new Date(Date.now() - 3_600_000)
  fs.utimesSync(file!.file, old, old)
  store.write(address, entry('second'))
  expect(only(store)).toHaveLength(1)
  expect(fs.statSync(file!.file).ino).toBe(inode)
  expect(fs.statSync(file!.file).mtimeMs).toBeGreaterThan(old.getTime() + 1000)
  expect(new ResultStore(store.dir).lookup(address, base).entries.map((each) => each.runId)).toEqual(['first'])
  const header = fs.readFileSync(file!.file, 'utf8').split('\n')[0]
  // Under the same name: garbage, no header, an empty file. A store that only writes keeps the first two (unread),
  // and the next lookup finds them unreadable: nothing is reused, the file runs, and its store writes it anew.
  for (const content of ['garbage', JSON.stringify(entry()), '']) {
    fs.writeFileSync(file!.file, content)
    new ResultStore(store.dir).write(address, entry('third'))
    const run = new ResultStore(store.dir)
    const found = run.lookup(address, base)
    if (content === '') expect(found.entries.map((each) => each.runId)).toEqual(['third'])
    else {
      expect(found).toEqual({ entries: [], ignored: 'unreadable entry (ignored)' })
      run.write(address, entry('fourth'))
      expect(new ResultStore(store.dir).lookup(address, base).entries.map((each) => each.runId)).toEqual(['fourth'])
    }
  }
  // Another record under the same name (its modules changed by hand): a lookup checks the record it holds, not the name.
  fs.writeFileSync(file!.file, `${header}\n${JSON.stringify({ ...entry('forged'), modules: { 'a.test.js': 'other' } })}`)
  expect(new ResultStore(store.dir).lookup(address, base).entries[0]?.modules).toEqual({ 'a.test.js': 'other' })
  // With a secret, the entry kept must be signed with it: an unsigned one of the same record is replaced at once.
  const signed = new ResultStore(store.dir, undefined, 'a-secret-of-enough-chars')
  signed.write(address, entry('signed'))
  expect(new ResultStore(store.dir, undefined, 'a-secret-of-enough-chars').lookup(address, base).entries.map((each) => each.runId)).toEqual(
    ['signed'],
  )
  const again = new ResultStore(store.dir, undefined, 'a-secret-of-enough-chars')
  again.write(address, entry('signed again'))
  expect(new ResultStore(store.dir, undefined, 'a-secret-of-enough-chars').lookup(address, base).entries.map((each) => each.runId)).toEqual(
    ['signed'],
  )
})
