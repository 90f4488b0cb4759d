import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test, vi } from 'vitest'
import { resolveConfig } from '../../src/config/resolve.js'
import type { ShardOutcome } from '../../src/core/shard.js'
import type { JUnitReport, ReportSuite } from '../../src/report/types.js'
import { ResultCache } from '../../src/run/cache/result-cache.js'
import { storeResults } from '../../src/run/cache/store-results.js'
import { ResultStore } from '../../src/store/result-store.js'
import { cleanLocalOutcome, fileSuites, localShardSpec, writeModuleRecord } from '../helpers/cache-shard.js'
import { random } from '../helpers/random.js'

// The cache never makes a red run green. Over random records of what each file depended on (modules, files read with
// fs, folders listed, paths stat-ed, snapshot files, env files, globalSetup files, inherited variables), random
// outcomes and random edits, a file is taken from the cache only if it passed when stored and nothing it depended on
// changed since: so a cached run never reports a pass where `--no-cache` (which runs it) could report a failure.
// (And the other way round: every unchanged pass is reused.) The seed is in every message.
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

const SEEDS = Number(process.env.XTEST_PROPERTY_SEEDS ?? 240)
const FIRST_SEED = Number(process.env.XTEST_PROPERTY_SEED ?? 1)

function makeRepo(rand: (n: number) => number) {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-cache-prop-')))
  dirs.push(root)
  fs.writeFileSync(path.join(root, 'xtest.config.json'), '{}')
  const files = Array.from({ length: 5 }, (_, i) => `t${i}.test.js`)
  const inputs = {
    modules: Array.from({ length: 5 }, (_, i) => `lib/m${i}.js`),
    reads: ['data/a.json', 'data/b.txt', 'data/missing.txt'],
    lists: ['data/list', 'data'],
    stats: ['data/a.json', 'data/maybe'],
    snapshots: files.map((file) => `__snapshots__/${file}.snap`),
    envFiles: ['.env', '.env.test'],
    setup: ['setup/global.js'],
  }
  for (const dir of ['lib', 'data/list', '__snapshots__', 'setup']) fs.mkdirSync(path.join(root, dir), { recursive: true })
  for (const file of [...inputs.modules, 'data/a.json', 'data/b.txt', 'data/list/x', '.env', 'setup/global.js'])
    fs.writeFileSync(path.join(root, file), `v${rand(1000)}\n`)
  for (const snapshot of inputs.snapshots) if (rand(2) === 0) fs.writeFileSync(path.join(root, snapshot), `s${rand(1000)}\n`)
  const pick = (list: string[]) => list.filter(() => rand(3) === 0)
  const records = new Map(
    files.map((file) => [
      file,
      { modules: pick(inputs.modules), reads: pick(inputs.reads), lists: pick(inputs.lists), stats: pick(inputs.stats) },
    ]),
  )
  for (const file of files) fs.writeFileSync(path.join(root, file), `// ${file}\n`)
  return { root, files, inputs, records }
}

// The run starts a second after its fixture was written, as a person's does: what is written within a clock tick of the
// start counts as changed while the run ran (file-hash.ts), and is never stored.
function startedLater<T>(make: () => T): T {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1000 })
  try {
    return make()
  } finally {
    vi.useRealTimers()
  }
}

function setup(root: string, env: Record<string, string>, hostEnv: NodeJS.ProcessEnv) {
  const config = resolveConfig({ containers: { amp: { runtime: 'local' } } }, root, path.join(root, 'xtest.config.json'))
  const store = new ResultStore(path.join(root, '.cache'))
  const cache = startedLater(() => new ResultCache({ config, repoRoot: root, reuse: true, env: hostEnv }, store))
  const spec = { ...localShardSpec(root), env }
  return { cache, spec }
}

// `structural`: the edit made or removed an entry (a folder listing it changes).
type Edit = { kind: string; target: string; apply: (root: string) => void; structural?: boolean }

// One random edit of one random input: bytes of a file, a file that appears or goes, a folder's listing, a variable.
function randomEdits(rand: (n: number) => number, inputs: ReturnType<typeof makeRepo>['inputs'], files: string[]): Edit[] {
  const fileEdit = (kind: string, target: string): Edit => {
    const edit: Edit = {
      kind,
      target,
      apply: (root) => {
        const full = path.join(root, target)
        edit.structural = !fs.existsSync(full) || rand(4) === 0
        if (fs.existsSync(full) && edit.structural) fs.rmSync(full)
        else fs.appendFileSync(full, '// edit\n')
      },
    }
    return edit
  }
  const pool: Edit[] = [
    ...files.map((file) => fileEdit('test', file)),
    ...inputs.modules.map((file) => fileEdit('module', file)),
    ...inputs.reads.map((file) => fileEdit('read', file)),
    ...inputs.snapshots.map((file) => fileEdit('snapshot', file)),
    ...inputs.envFiles.map((file) => fileEdit('envFile', file)),
    ...inputs.setup.map((file) => fileEdit('setup', file)),
    { kind: 'list', target: 'data/list', apply: (root) => fs.writeFileSync(path.join(root, 'data/list', `n${rand(1e6)}`), '') },
    { kind: 'list', target: 'data', apply: (root) => fs.writeFileSync(path.join(root, 'data', `n${rand(1e6)}`), '') },
    {
      kind: 'stat',
      target: 'data/maybe',
      structural: true,
      apply: (root) => fs.mkdirSync(path.join(root, 'data/maybe'), { recursive: true }),
    },
    { kind: 'env', target: 'TZ', apply: () => undefined },
    { kind: 'env', target: 'LC_ALL', apply: () => undefined },
  ]
  return pool.filter(() => rand(12) === 0)
}

test('a cached run never reports a pass where running the file could fail', () => {
  for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
    const rand = random(seed)
    const { root, files, inputs, records } = makeRepo(rand)
    const passed = new Set(files.filter(() => rand(4) !== 0))
    const hostEnv = { TZ: 'UTC', PATH: '/usr/bin' }
    const { cache, spec } = setup(root, { A: '1' }, hostEnv)
    const shard = { ...spec, files }
    const abs = (list: string[]) => list.map((rel) => path.join(root, rel))
    writeModuleRecord(
      shard,
      { envFiles: abs(inputs.envFiles), globalSetup: abs(inputs.setup), reads: [], lists: [], stats: [], opaque: [] },
      files.map((file) => {
        const record = records.get(file)!
        const { reads, lists, stats } = record
        return {
          file,
          modules: abs([file, ...record.modules]),
          complete: true,
          reads: abs(reads),
          lists: abs(lists),
          stats: abs(stats),
          opaque: [],
        }
      }),
    )
    const suites = fileSuites(files, passed)
    const outcome = cleanLocalOutcome(passed.size === files.length)
    storeResults(cache, { runId: `run-${seed}`, report: { suites } as JUnitReport, specs: [shard], outcomes: [outcome] })

    const edits = randomEdits(rand, inputs, files)
    for (const edit of edits) edit.apply(root)
    const nextEnv: NodeJS.ProcessEnv = { ...hostEnv }
    if (edits.some((edit) => edit.target === 'TZ')) nextEnv.TZ = 'Asia/Tokyo'
    if (edits.some((edit) => edit.target === 'LC_ALL')) nextEnv.LC_ALL = 'C'
    const next = setup(root, { A: '1' }, nextEnv)
    const { cached, reasons } = next.cache.select([{ ...next.spec, files }], () => 'local')
    const reused = new Set(cached.map((each) => each.suite.file))
    for (const file of files) {
      const record = records.get(file)!
      const snapshot = `__snapshots__/${file}.snap`
      // What the file depended on: a change to any of it may turn its pass into a failure.
      const dependsOn = (edit: Edit) =>
        (edit.kind === 'test' && edit.target === file) ||
        (edit.kind === 'module' && record.modules.includes(edit.target)) ||
        (edit.kind === 'read' && record.reads.includes(edit.target)) ||
        (edit.kind === 'snapshot' && edit.target === snapshot) ||
        (edit.kind === 'list' && record.lists.includes(edit.target)) ||
        (edit.structural === true && record.lists.includes(path.posix.dirname(edit.target))) ||
        (edit.kind === 'stat' && record.stats.includes(edit.target)) ||
        edit.kind === 'envFile' ||
        edit.kind === 'setup' ||
        edit.kind === 'env'
      const changed = edits.filter(dependsOn).map((edit) => `${edit.kind} ${edit.target}`)
      const context = `seed ${seed} (XTEST_PROPERTY_SEED=${seed} XTEST_PROPERTY_SEEDS=1), ${file}: passed ${passed.has(file)}, changed [${changed.join(', ')}], reason ${reasons.get(`amp/fast/${file}`)}`
      // Safety: reused only if it passed and nothing it depended on changed. Completeness: every such pass is reused.
      expect(reused.has(file), context).toBe(passed.has(file) && changed.length === 0)
    }
    for (const each of cached)
      expect(
        each.suite.cases.every((c) => c.result === 'passed'),
        `seed ${seed}`,
      ).toBe(true)
  }
}, 120_000)

test("a record that names another file cannot take away that file's inputs; a record is always additive", () => {
  const { root, files } = makeRepo(random(7))
  const { cache, spec } = setup(root, { A: '1' }, {})
  const none = { reads: [], lists: [], stats: [], opaque: [] }
  const lines = [
    { config: { envFiles: [], globalSetup: [], ...none } },
    { file: files[0], modules: [path.join(root, files[0]!)], complete: true, ...none, reads: [path.join(root, 'data/a.json')] },
    // A second line for the same file (written by another file's hostile code) that claims it read nothing.
    { file: files[0], modules: [], complete: true, ...none },
  ]
  fs.mkdirSync(spec.shardDir, { recursive: true })
  fs.writeFileSync(path.join(spec.shardDir, 'modules.ndjson'), lines.map((line) => `${JSON.stringify(line)}\n`).join(''))
  const suites: ReportSuite[] = [
    {
      name: `amp/fast/${files[0]}`,
      file: files[0]!,
      time: 0,
      properties: [
        { name: 'shard', value: 'amp.fast' },
        { name: 'status', value: 'passed' },
      ],
      cases: [{ classname: files[0]!, name: 'x', time: 0, result: 'passed', properties: [] }],
    },
  ]
  const outcome = { id: 'amp.fast', runtime: 'local', exitCode: 0 } as ShardOutcome
  storeResults(cache, { runId: 'run-x', report: { suites } as JUnitReport, specs: [{ ...spec, files: [files[0]!] }], outcomes: [outcome] })
  fs.appendFileSync(path.join(root, 'data/a.json'), 'edit')
  const next = setup(root, { A: '1' }, {})
  const { cached, reasons } = next.cache.select([{ ...next.spec, files: [files[0]!] }], () => 'local')
  expect(cached).toEqual([])
  expect(reasons.get(`amp/fast/${files[0]}`)).toBe('file data/a.json changed')
})
