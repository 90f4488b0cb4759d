// On the real engine: the result cache reuses a (container, tier, file) result only while every part of its
// key holds, and starts no container for a shard whose files all come from the cache.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import {
  copyFixtureIntoRepo,
  type MergedReport,
  readMergedJunit,
  readShard,
  requireEngine,
  shardDirs,
  useLeftovers,
} from '../helpers/docker.js'

const leftovers = useLeftovers()
const made: string[] = []
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})
beforeAll(() => requireEngine())

const cwd = copyFixtureIntoRepo('docker-cache', 'cache')
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-result-cache-'))
made.push(cwd, cacheDir)
const env = { XTEST_CACHE: 'on', XTEST_CACHE_DIR: cacheDir }
const rel = (file: string) => path.relative(path.resolve(cwd, '../..'), path.join(cwd, file)).split(path.sep).join('/')

/** Runs xtest; returns the exit code, output, the files each started shard ran, and the merged report. */
async function run(args: string[] = []) {
  const result = await runXtest(['run', '--runtime', 'docker', ...args], { cwd, env })
  const runDir = leftovers.runDirOf(result.stderr, cwd)
  const ran = Object.fromEntries(shardDirs(runDir).map((id) => [id, readShard(runDir, id).files]))
  return { ...result, ran, report: readMergedJunit(path.join(runDir, 'junit.xml')) }
}

const vitestConfig = fs.readFileSync(path.join(cwd, 'vitest.config.mjs'), 'utf8')
const edit = (file: string, text: string) => fs.appendFileSync(path.join(cwd, file), text)
const ALL = {
  'amp.fast': ['app/deep.test.js', 'app/dynamic.test.js', 'app/plain.test.js', 'app/reads-data.test.js'],
  'opt.fast': ['opt/o1.test.js', 'opt/o2.test.js'],
}

// The report without what differs between a run and the run it reuses: the report's name, the cached marks and the
// run's own plan hash (the first run's timings went into the second run's plan).
const comparable = (report: MergedReport) => ({
  ...report,
  name: '',
  suites: report.suites.map((suite) => ({
    ...suite,
    properties: Object.fromEntries(Object.entries(suite.properties).filter(([name]) => name !== 'xtest.cached' && name !== 'plan_hash')),
  })),
})

describe('the result cache, step by step on one copy of the fixture', () => {
  test('first run: everything runs and passes; each file stored', async () => {
    const first = await run()
    expect(first.exitCode, first.stdout + first.stderr).toBe(0)
    expect(first.stderr).toContain('xtest: result cache: 0 of 6 file(s) taken from the cache (6 to run in 2 of 2 shard(s))')
    expect(first.ran).toEqual(ALL)
    const again = await run()
    // (a) nothing changed: no shard starts, no container; the report is the first one's plus the cached marks.
    expect(again.exitCode, again.stdout + again.stderr).toBe(0)
    expect(again.stderr).toContain('xtest: result cache: 6 of 6 file(s) taken from the cache (0 to run in 0 of 2 shard(s))')
    expect(again.ran).toEqual({})
    expect(again.stdout).toContain('xtest: passed: 0 failed, 0 errors, 6 passed, 0 skipped of 6 tests (6 from the result cache)')
    const firstRunId = first.report.name.replace('xtest run ', '')
    expect(again.report.suites.map((suite) => suite.properties['xtest.cached'])).toEqual(Array(6).fill(firstRunId))
    expect(comparable(again.report)).toEqual(comparable(first.report))
  }, 240_000)

  test('(b) a module two levels down changes: only its test file runs; plan --files said why first', async () => {
    edit('app/lib/leaf.js', '// changed\n')
    const plan = await runXtest(['plan', '--files'], { cwd, env })
    const row = plan.stdout.split('\n').find((line) => line.startsWith('app/deep.test.js'))
    expect(row).toContain(`changed module ${rel('app/lib/leaf.js')}`)
    expect(plan.stdout.split('\n').find((line) => line.startsWith('app/plain.test.js'))).toMatch(/cached \(run \d{8}-\d{6}-[0-9a-f]{4}\)$/)
    const after = await run()
    expect(after.exitCode, after.stdout).toBe(0)
    expect(after.ran).toEqual({ 'amp.fast': ['app/deep.test.js'] })
  }, 240_000)

  test('(c) a module loaded by a computed import() in a test body changes: its file runs', async () => {
    edit('app/lib/lazy.js', '// changed\n')
    const after = await run()
    expect(after.exitCode, after.stdout).toBe(0)
    expect(after.ran).toEqual({ 'amp.fast': ['app/dynamic.test.js'] })
  }, 240_000)

  test("(f) a fixture read with fs and listed in cache.inputs changes: the container's files run", async () => {
    edit('data/value.txt', 'more\n')
    const after = await run()
    expect(after.exitCode, after.stdout).toBe(0)
    // cache.inputs is part of the key of every amp file (xtest cannot know which file reads it).
    expect(after.ran).toEqual({ 'amp.fast': ALL['amp.fast'] })
  }, 240_000)

  test("(d) the opt image's Dockerfile changes: all of opt runs, amp stays cached", async () => {
    edit('images/opt/Dockerfile', 'LABEL xtest.fixture.version=2\n')
    const plan = await runXtest(['plan', '--files'], { cwd, env })
    expect(plan.stdout.split('\n').find((line) => line.startsWith('opt/o1.test.js'))).toContain('new image')
    const after = await run()
    expect(after.exitCode, after.stdout).toBe(0)
    expect(after.ran).toEqual({ 'opt.fast': ALL['opt.fast'] })
  }, 240_000)

  test('(e) the Vitest config changes: everything runs', async () => {
    fs.writeFileSync(path.join(cwd, 'vitest.config.mjs'), 'export default { test: { testTimeout: 6000 } }\n')
    const after = await run()
    expect(after.exitCode, after.stdout).toBe(0)
    expect(after.ran).toEqual(ALL)
  }, 240_000)

  test('(g) a failing file is never cached: it runs again, the others do not', async () => {
    fs.writeFileSync(
      path.join(cwd, 'app/fails.test.js'),
      "import { expect, test } from 'vitest'\ntest('fails', () => { expect(1).toBe(2) })\n",
    )
    const failed = await run()
    expect(failed.exitCode, failed.stdout).toBe(1)
    expect(failed.ran).toEqual({ 'amp.fast': ['app/fails.test.js'] })
    const again = await run()
    expect(again.exitCode, again.stdout).toBe(1)
    expect(again.ran).toEqual({ 'amp.fast': ['app/fails.test.js'] })
    expect(again.report.cases.find((c) => c.name === 'fails')?.status).toBe('failed')
    fs.rmSync(path.join(cwd, 'app/fails.test.js'))
  }, 240_000)

  test('(h) --no-cache runs everything (and stores it again)', async () => {
    const all = await run(['--no-cache'])
    expect(all.exitCode, all.stdout).toBe(0)
    expect(all.stderr).toContain('xtest: result cache: 0 of 6 file(s) taken from the cache (6 to run in 2 of 2 shard(s))')
    expect(all.ran).toEqual(ALL)
    const cached = await run()
    expect(cached.ran).toEqual({})
    const info = await runXtest(['cache', 'info'], { cwd, env })
    expect(info.stdout).toContain(`result cache: ${cacheDir}`)
    // Entries are found by their full key: each change above left the older entries in place beside the new ones
    // (6 first, +1 deep, +1 dynamic, +4 amp for cache.inputs, +2 opt for its image, +6 for the Vitest config).
    expect(info.stdout).toMatch(/^entries: 20, /m)
  }, 240_000)

  test('(i) the Vitest config changes back: the entries stored under the old key answer again', async () => {
    fs.writeFileSync(path.join(cwd, 'vitest.config.mjs'), vitestConfig)
    const after = await run()
    expect(after.exitCode, after.stdout).toBe(0)
    expect(after.stderr).toContain('xtest: result cache: 6 of 6 file(s) taken from the cache (0 to run in 0 of 2 shard(s))')
    expect(after.ran).toEqual({})
  }, 240_000)
})
