import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { resolveConfig } from '../../src/config/resolve.js'
import type { JUnitReport, ReportSuite } from '../../src/report/types.js'
import { ResultStore } from '../../src/run/cache/cache-store.js'
import { ResultCache } from '../../src/run/cache/result-cache.js'
import { storeResults } from '../../src/run/cache/store-results.js'
import type { ShardOutcome, ShardSpec } from '../../src/core/shard.js'

// Issue 16: the cache never makes a red run green. Over random module graphs, outcomes and edits, a file is taken
// from the cache only if it passed when stored and nothing in its key changed since: its test file, a module it
// loaded, the shard's env or Vitest arguments. (And, the other way round, every unchanged pass is reused.)
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

function random(seed: number) {
  let s = seed >>> 0
  return (n: number) => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s % n
  }
}

function makeRepo(rand: (n: number) => number) {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-cache-prop-')))
  dirs.push(root)
  fs.writeFileSync(path.join(root, 'xtest.config.json'), '{}')
  const modules = Array.from({ length: 8 }, (_, i) => `lib/m${i}.js`)
  const files = Array.from({ length: 6 }, (_, i) => `t${i}.test.js`)
  fs.mkdirSync(path.join(root, 'lib'))
  for (const module of modules) fs.writeFileSync(path.join(root, module), `export const v = ${rand(1000)}\n`)
  // No static imports: only the shard's (random) list says what each file loaded.
  const loads = new Map(files.map((file) => [file, modules.filter(() => rand(3) === 0)]))
  for (const file of files) fs.writeFileSync(path.join(root, file), `// ${file}\n`)
  return { root, modules, files, loads }
}

function setup(root: string, env: Record<string, string>, args: string[]) {
  const config = resolveConfig({ containers: { amp: { runtime: 'local' } } }, root, path.join(root, 'xtest.config.json'))
  const store = new ResultStore(path.join(root, '.cache'))
  const cache = new ResultCache({ config, repoRoot: root, reuse: true }, store)
  const spec = {
    id: 'amp.fast',
    container: 'amp',
    tier: 'fast',
    repoRoot: root,
    root,
    workdir: '.',
    shardDir: path.join(root, 'shard'),
    mounts: { readOnly: false, writable: [], outputDir: path.join(root, '.xtest') },
    timeoutMs: 1000,
    vitestArgs: args,
    env,
    runId: 'r1',
  } as unknown as ShardSpec
  return { cache, spec }
}

test('every file whose key changed runs again; a failure is never reused', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rand = random(seed)
    const { root, modules, files, loads } = makeRepo(rand)
    const passed = new Set(files.filter(() => rand(4) !== 0))
    const env = { A: '1' }
    const { cache, spec } = setup(root, env, [])
    const shard = { ...spec, files }
    fs.mkdirSync(shard.shardDir, { recursive: true })
    fs.writeFileSync(
      path.join(shard.shardDir, 'modules.ndjson'),
      files
        .map(
          (file) =>
            `${JSON.stringify({ file, modules: [path.join(root, file), ...loads.get(file)!.map((m) => path.join(root, m))], complete: true })}\n`,
        )
        .join(''),
    )
    const suites: ReportSuite[] = files.map((file) => ({
      name: `amp/fast/${file}`,
      file,
      time: 0.01,
      properties: [
        { name: 'shard', value: 'amp.fast' },
        { name: 'status', value: passed.size === files.length ? 'passed' : 'failed' },
      ],
      cases: [{ classname: file, name: 'x', time: 0.01, result: passed.has(file) ? 'passed' : 'failed', properties: [] }],
    }))
    const outcome = { id: 'amp.fast', runtime: 'local', exitCode: passed.size === files.length ? 0 : 1 } as ShardOutcome
    const report: JUnitReport = { suites }
    storeResults(cache, { runId: `run-${seed}`, report, specs: [shard], outcomes: [outcome] })

    // Random edits, then a new run's view of the cache.
    const edited = new Set([...modules, ...files].filter(() => rand(5) === 0))
    for (const file of edited) fs.appendFileSync(path.join(root, file), '// edit\n')
    const envChanged = rand(6) === 0
    const argsChanged = rand(6) === 0
    const next = setup(root, envChanged ? { A: '2' } : env, argsChanged ? ['-t', 'x'] : [])
    const { cached } = next.cache.select([{ ...next.spec, files }], () => 'local')
    const reused = new Set(cached.map((each) => each.suite.file))
    for (const file of files) {
      const keyChanged = envChanged || argsChanged || edited.has(file) || loads.get(file)!.some((m) => edited.has(m))
      const context = `seed ${seed}, ${file}: passed ${passed.has(file)}, key changed ${keyChanged}`
      expect(reused.has(file), context).toBe(passed.has(file) && !keyChanged)
    }
    for (const each of cached)
      expect(
        each.suite.cases.every((c) => c.result === 'passed'),
        `seed ${seed}`,
      ).toBe(true)
  }
})
