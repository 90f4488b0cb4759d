// Storing reads the shards' modules while they run (ResultCache.warm) and takes those readings after the run only where
// a look then shows them unchanged since the start. Property: over random module trees, warms stopped at random points
// and random edits before and after the warm (bytes, times put back, files appearing and going, a package.json), what
// storing would record for each test file (its static imports and every hash, or nothing) is exactly what a store
// with no warm, reading everything after the run, records. The seed is in every message.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { resolveConfig } from '../../src/config/resolve.js'
import { ResultCache } from '../../src/run/cache/result-cache.js'
import { ResultStore } from '../../src/store/result-store.js'
import { random } from '../helpers/random.js'

const roots: string[] = []
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true })
})
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const turn = () => new Promise((resolve) => setImmediate(resolve))

const SEEDS = Number(process.env.XTEST_PROPERTY_SEEDS ?? 60)

function makeRepo(rand: (n: number) => number) {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-warm-')))
  roots.push(root)
  fs.writeFileSync(path.join(root, 'xtest.config.json'), '{}')
  const modules = Array.from({ length: 4 + rand(8) }, (_, i) => (rand(4) === 0 ? `lib/p${i}/index.js` : `lib/m${i}.js`))
  const spec = (from: string, to: string) => {
    const rel = path.posix.relative(path.posix.dirname(from), to)
    const named = to.endsWith('/index.js') && rand(2) === 0 ? path.posix.dirname(rel) : rand(2) === 0 ? rel.replace(/\.js$/, '') : rel
    return named.startsWith('.') ? named : `./${named}`
  }
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), text)
  }
  modules.forEach((file, i) => {
    const imports = i === 0 ? [] : [modules[rand(i)]!, ...(rand(2) ? [modules[rand(i)]!] : [])]
    write(file, `${imports.map((to) => `import '${spec(file, to)}'`).join('\n')}\nexport const v = ${rand(1000)}\n`)
  })
  if (rand(2) === 0) write('lib/pkg/package.json', JSON.stringify({ main: 'main.js' }))
  write('lib/pkg/main.js', 'export const main = 1\n')
  const tests = Array.from({ length: 3 + rand(4) }, (_, i) => `test/t${i}.test.js`)
  for (const file of tests) {
    const imports = [modules[rand(modules.length)]!, ...(rand(3) === 0 ? ['lib/pkg/'] : [])]
    write(file, imports.map((to) => `import '${to.endsWith('/') ? '../lib/pkg' : spec(file, to)}'`).join('\n'))
    if (rand(2) === 0) write(`test/__snapshots__/${path.posix.basename(file)}.snap`, `s${rand(100)}`)
  }
  return { root, modules, tests, write }
}

// One random change somewhere the store looks: bytes (or only times put back), a file appearing beside a module (an
// extension an import may mean), a module or snapshot going, a package.json's entry.
function randomEdit(rand: (n: number) => number, repo: ReturnType<typeof makeRepo>): void {
  const { root, modules, tests, write } = repo
  const file = [...modules, ...tests][rand(modules.length + tests.length)]!
  const full = path.join(root, file)
  switch (rand(6)) {
    case 0:
      if (fs.existsSync(full)) fs.appendFileSync(full, '// edit\n')
      break
    case 1: {
      if (!fs.existsSync(full)) break
      const old = fs.statSync(full)
      fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replace(/\d/, 'x'))
      fs.utimesSync(full, old.atime, old.mtime)
      break
    }
    case 2:
      write(file.replace(/\.js$/, '.ts'), 'export const shadow = 1\n')
      break
    case 3:
      fs.rmSync(full, { force: true })
      break
    case 4:
      write('lib/pkg/package.json', JSON.stringify({ main: rand(2) ? 'other.js' : 'main.js' }))
      write('lib/pkg/other.js', '')
      break
    default:
      fs.rmSync(path.join(root, 'test/__snapshots__'), { recursive: true, force: true })
  }
}

// What storing records for a test file: every file of its static import closure with its hash, its snapshot's, or
// nothing when one of them is refused (as store-results.ts's modulesWithHashes and the snapshot input).
function recorded(cache: ResultCache, readImports: (file: string) => string[], test: string) {
  const all = new Set([test])
  const queue = [test]
  while (queue.length > 0) for (const next of readImports(queue.shift()!)) if (!all.has(next)) all.add(next) && queue.push(next)
  const hashes: Record<string, string> = {}
  for (const rel of [...all].sort()) {
    const found = cache.hasher.hash(rel)
    if (!found.ok) return 'not stored'
    hashes[rel] = found.value.hash
  }
  const snapshot = cache.hasher.hash(`test/__snapshots__/${path.posix.basename(test)}.snap`)
  if (!snapshot.ok && snapshot.kind !== 'missing') return 'not stored'
  hashes.snapshot = snapshot.ok ? snapshot.value.hash : 'absent'
  return hashes
}

// The reader warm() filled (private to the cache): storing took it when importReader() returns it.
const warmed = (cache: ResultCache) => (cache as unknown as { whileRunning?: { readImports: unknown } }).whileRunning?.readImports

test('a warm store records what a cold one does, edits or not, stopped anywhere', async () => {
  let reused = 0
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rand = random(seed)
    const repo = makeRepo(rand)
    const config = resolveConfig({ containers: { amp: { runtime: 'local' } } }, repo.root, path.join(repo.root, 'xtest.config.json'))
    await sleep(25)
    const cache = new ResultCache({ config, repoRoot: repo.root, reuse: false }, new ResultStore(path.join(repo.root, '.cache')))
    await sleep(15)
    if (rand(4) === 0) randomEdit(rand, repo) // after the start, before the warm
    const warming = cache.warm([
      { id: 'amp.fast', container: 'amp', tier: 'fast', files: repo.tests, env: {}, mounts: { readOnly: true }, vitestArgs: [] },
    ])
    for (let i = rand(3) === 0 ? rand(3) : 20; i > 0; i--) await turn()
    warming.stop()
    for (let i = rand(3); i > 0; i--) randomEdit(rand, repo) // while the shards still run
    await sleep(15)
    const warm = cache.afterRun()
    const cold = new ResultCache(cache.options, cache.store, cache.startedMs)
    const warmReader = warm.importReader()
    const coldReader = cold.importReader()
    for (const test of repo.tests) {
      const expected = recorded(cold, coldReader, test)
      expect(recorded(warm, warmReader, test), `seed ${seed}: ${test}`).toEqual(expected)
    }
    // Not a vacuous truth: the warm readings are taken in most seeds (bench/realistic measures what they save).
    if (warmReader === warmed(cache)) reused++
  }
  expect(reused).toBeGreaterThan(SEEDS / 3)
}, 120_000)
