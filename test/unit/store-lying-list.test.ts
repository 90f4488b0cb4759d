import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test, vi } from 'vitest'
import { resolveConfig } from '../../src/config/resolve.js'
import type { JUnitReport } from '../../src/report/types.js'
import { ResultCache } from '../../src/run/cache/result-cache.js'
import { storeResults } from '../../src/run/cache/store-results.js'
import { ResultStore } from '../../src/store/result-store.js'
import { cleanLocalOutcome, fileSuites, localShardSpec, writeModuleRecord } from '../helpers/cache-shard.js'
import { random } from '../helpers/random.js'

// A shard's module list is the shard's word (a test can rewrite it); what the host reads itself is not. Property: over
// random module trees and lists that name any part of what each test file loaded (the liar keeps a module and drops what
// it imports, or names nothing), a change to any file of a test file's static import closure, as the host reads it,
// makes that file run again. The seed is in every message.
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})
const SEEDS = Number(process.env.XTEST_PROPERTY_SEEDS ?? 150)

function makeRepo(rand: (n: number) => number) {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-lying-list-')))
  dirs.push(root)
  fs.writeFileSync(path.join(root, 'xtest.config.json'), '{}')
  fs.mkdirSync(path.join(root, 'lib'))
  const modules = Array.from({ length: 3 + rand(8) }, (_, i) => `lib/m${i}.js`)
  const importsOf = new Map<string, string[]>()
  modules.forEach((file, i) => {
    const imports = i === 0 ? [] : [...new Set([modules[rand(i)]!, ...(rand(2) ? [modules[rand(i)]!] : [])])]
    importsOf.set(file, imports)
    fs.writeFileSync(
      path.join(root, file),
      `${imports.map((to) => `import './${path.posix.basename(to)}'`).join('\n')}\nexport const v = 1\n`,
    )
  })
  const files = Array.from({ length: 2 + rand(4) }, (_, i) => `t${i}.test.js`)
  for (const file of files) {
    const imports = [...new Set([modules[rand(modules.length)]!, modules[rand(modules.length)]!])]
    importsOf.set(file, imports)
    fs.writeFileSync(path.join(root, file), imports.map((to) => `import './${to}'`).join('\n'))
  }
  const closure = (file: string) => {
    const all = new Set([file])
    for (const next of all) for (const imported of importsOf.get(next) ?? []) all.add(imported)
    return all
  }
  return { root, modules, files, closure }
}

function setup(root: string) {
  const config = resolveConfig({ containers: { amp: { runtime: 'local' } } }, root, path.join(root, 'xtest.config.json'))
  const store = new ResultStore(path.join(root, '.cache'))
  // The run starts a second after the tree was written, as a person's does (file-hash.ts).
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1000 })
  const cache = new ResultCache({ config, repoRoot: root, reuse: true, env: {} }, store)
  vi.useRealTimers()
  const spec = localShardSpec(root)
  return { cache, spec }
}

test('a module list that hides part of what a file loaded never hides the host-read imports from the cache key', () => {
  let checked = 0
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rand = random(seed)
    const { root, modules, files, closure } = makeRepo(rand)
    const { cache, spec } = setup(root)
    const shard = { ...spec, files }
    // Each list: a random part of the file's closure (the test file itself always: it is where the list is keyed).
    const none = { reads: [], lists: [], stats: [], opaque: [] }
    writeModuleRecord(
      shard,
      { envFiles: [], globalSetup: [], ...none },
      files.map((file) => ({
        file,
        modules: [file, ...[...closure(file)].filter((m) => m !== file && rand(2) === 0)].map((rel) => path.join(root, rel)),
        complete: true,
        ...none,
      })),
    )
    const suites = fileSuites(files)
    const outcome = cleanLocalOutcome()
    storeResults(cache, { runId: `run-${seed}`, report: { suites } as JUnitReport, specs: [shard], outcomes: [outcome] })

    const edited = modules[rand(modules.length)]!
    fs.appendFileSync(path.join(root, edited), '// edit\n')
    const next = setup(root)
    const { cached } = next.cache.select([{ ...next.spec, files }], () => 'local')
    const reused = new Set(cached.map((each) => each.suite.file))
    for (const file of files) {
      const dependsOn = closure(file).has(edited)
      if (dependsOn) checked++
      expect(reused.has(file), `seed ${seed} (XTEST_PROPERTY_SEEDS): ${file}, edited ${edited}, closure ${[...closure(file)]}`).toBe(
        !dependsOn,
      )
    }
  }
  expect(checked).toBeGreaterThan(SEEDS / 2)
}, 120_000)
