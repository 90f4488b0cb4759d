import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { fixture, repoRoot, runXtest } from '../helpers/cli.js'

interface JsonPlan {
  shards: Array<{ container: string; tier: string; files: string[] }>
  split?: { index: number; count: number; hash: string; parts: unknown[] }
}
const keysOf = (plan: JsonPlan) => plan.shards.flatMap((s) => s.files.map((f) => `${s.container}/${s.tier}/${f}`))
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

// A copy of a fixture in a temp dir (node_modules linked), with a timings.json of its own.
function copyFixture(name: string, timings: Record<string, number> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xtest-${name}-`))
  dirs.push(dir)
  fs.cpSync(fixture(name), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.xtest`) })
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'))
  const entries = Object.fromEntries(Object.entries(timings).map(([key, ms]) => [key, { ms, runs: 1, seen: '2026-01-01T00:00:00.000Z' }]))
  fs.mkdirSync(path.join(dir, '.xtest'))
  fs.writeFileSync(path.join(dir, '.xtest/timings.json'), JSON.stringify({ version: 1, updatedAt: '', entries }))
  return dir
}

const suitesOf = (junit: string) => [...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]).sort()

describe('xtest plan --shard I/N', () => {
  test('the N parts are disjoint and together are the plan (N = 1..4 on the monorepo fixture)', async () => {
    const whole = await runXtest(['plan', '--json'], { cwd: fixture('monorepo') })
    const all = keysOf(JSON.parse(whole.stdout)).sort()
    for (let count = 1; count <= 4; count++) {
      const parts = await Promise.all(
        Array.from({ length: count }, (_, i) => runXtest(['plan', '--json', '--shard', `${i + 1}/${count}`], { cwd: fixture('monorepo') })),
      )
      const keys = parts.flatMap((part) => {
        expect(part.exitCode).toBe(0)
        return keysOf(JSON.parse(part.stdout))
      })
      expect(keys.sort()).toEqual(all)
      expect(new Set(parts.map((part) => JSON.parse(part.stdout).split.hash)).size).toBe(1)
    }
  })

  test('shows the expected time of each part, balanced by recorded timings', async () => {
    const dir = copyFixture('scale-slices', {
      'host/fast/src/a.test.ts': 9000,
      'host/fast/src/b.test.ts': 3000,
      'host/fast/src/c.test.ts': 3000,
      'host/fast/src/d.test.ts': 3000,
    })
    const { stdout, exitCode } = await runXtest(['plan', '--shard', '2/2', '--slices', '1'], { cwd: dir })
    expect(exitCode).toBe(0)
    expect(stdout).toBe(
      [
        'container  tier  files',
        'host       fast      3',
        '1 shards, 4 of 4 test files assigned',
        'part   files  expected',
        '1/2        1      9.0s',
        '2/2 *      3      9.0s',
        'all 4 (container, tier, file) items have a recorded time, largest part 1.00× the mean',
      ].join('\n'),
    )
  })

  test.each(['0/3', '4/3', 'x', '1/99999999999'])('--shard %s is exit 2 with one clear line', async (value) => {
    for (const command of ['plan', 'run']) {
      const { stderr, exitCode } = await runXtest([command, '--shard', value], { cwd: fixture('monorepo') })
      expect(exitCode).toBe(2)
      expect(stderr.trim()).toBe(`xtest: --shard expects I/N with 1 ≤ I ≤ N ≤ 10000 (e.g. --shard 2/4), got '${value}'`)
    }
  })
})

describe('exact repro of a CI part: plan.json and run --plan FILE --shard I/N', () => {
  test('another machine with other timings runs exactly the files the recorded part ran', async () => {
    const ms = (slow: string) =>
      Object.fromEntries(['a', 'b', 'c', 'd'].map((f) => [`host/fast/src/${f}.test.ts`, f === slow ? 9000 : 1000]))
    const ci = copyFixture('scale-slices', ms('a'))
    const recorded = await runXtest(['run', '--runtime', 'local', '--shard', '1/2'], { cwd: ci })
    expect(recorded.exitCode, recorded.stderr).toBe(0)
    expect(recorded.stderr).toMatch(/xtest: part 1\/2: 1 file in 1 shard, expected 9\.0s; plan sha256:[0-9a-f]{12}/)
    const [runId] = fs.readdirSync(path.join(ci, '.xtest/runs'))
    const planFile = path.join(ci, '.xtest/runs', runId!, 'plan.json')
    const record = JSON.parse(fs.readFileSync(planFile, 'utf8'))
    expect(record).toMatchObject({ version: 1, hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), shard: { index: 1, count: 2 } })
    expect(suitesOf(fs.readFileSync(path.join(ci, '.xtest/junit.xml'), 'utf8'))).toEqual(['host/fast/src/a.test.ts'])

    const laptop = copyFixture('scale-slices', ms('d'))
    const own = await runXtest(['plan', '--json', '--shard', '1/2'], { cwd: laptop })
    expect(keysOf(JSON.parse(own.stdout))).toEqual(['host/fast/src/d.test.ts'])
    const repro = await runXtest(['run', '--runtime', 'local', '--plan', planFile, '--shard', '1/2'], { cwd: laptop })
    expect(repro.exitCode, repro.stderr).toBe(0)
    expect(repro.stderr).toContain(`plan ${record.hash.slice(0, 19)}`)
    expect(suitesOf(fs.readFileSync(path.join(laptop, '.xtest/junit.xml'), 'utf8'))).toEqual(['host/fast/src/a.test.ts'])
    const other = await runXtest(['plan', '--json', '--plan', planFile, '--shard', '2/2'], { cwd: laptop })
    expect(keysOf(JSON.parse(other.stdout)).sort()).toEqual([
      'host/fast/src/b.test.ts',
      'host/fast/src/c.test.ts',
      'host/fast/src/d.test.ts',
    ])
  })

  test("a config whose containers changed is warned about; one without the plan's container is exit 2", async () => {
    const dir = copyFixture('scale-slices')
    const made = await runXtest(['plan', '--json'], { cwd: dir })
    fs.writeFileSync(path.join(dir, 'plan.json'), made.stdout)
    const bare = await runXtest(['plan', '--json', '--plan', 'plan.json', '--shard', '1/1'], { cwd: dir })
    expect(keysOf(JSON.parse(bare.stdout))).toHaveLength(4)
    const configFile = path.join(dir, 'xtest.config.json')
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'))
    const run = await runXtest(['run', '--runtime', 'local', '--shard', '1/1'], { cwd: dir })
    const [runId] = fs.readdirSync(path.join(dir, '.xtest/runs'))
    const planFile = path.join(dir, '.xtest/runs', runId!, 'plan.json')
    expect(run.exitCode).toBe(0)
    config.containers.host.env = { EXTRA: '1' }
    fs.writeFileSync(configFile, JSON.stringify(config))
    const changed = await runXtest(['plan', '--plan', planFile], { cwd: dir })
    expect(changed.exitCode).toBe(0)
    expect(changed.stderr).toContain(
      `xtest: warning: --plan ${planFile}: container host is defined differently in the config than when the plan was made`,
    )
    fs.writeFileSync(configFile, JSON.stringify({ containers: { other: { runtime: 'local' } } }))
    const missing = await runXtest(['plan', '--plan', planFile], { cwd: dir })
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr.trim()).toBe(`xtest: --plan ${planFile}: container host of the plan is not in the config (known: other)`)
  })
})
