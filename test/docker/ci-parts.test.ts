// On the real engine: a merge that knows the plan (a part that never reported is an error per file, parts of
// two plans are refused), and `xtest run --failed` re-running only the failed cells and tests.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { copyFixtureIntoRepo, readMergedJunit, readShard, requireEngine, shardDirs, useLeftovers } from '../helpers/docker.js'

const leftovers = useLeftovers()
const made: string[] = []
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})
beforeAll(() => requireEngine())

function copy(): string {
  const dir = copyFixtureIntoRepo('docker-parts', 'parts')
  made.push(dir)
  return dir
}

interface JsonPlan {
  shards: Array<{ container: string; tier: string; files: string[] }>
}
const keysOf = (plan: JsonPlan) => plan.shards.flatMap((s) => s.files.map((f) => `${s.container}/${s.tier}/${f}`)).sort()

describe('xtest merge --plan: parts checked against the plan', () => {
  test('part 3 of 4 never reports: each of its files is an error naming the part (exit 1); parts of two plans are exit 2', async () => {
    const cwd = copy()
    fs.rmSync(path.join(cwd, 'failing.marker'))
    const saved = await runXtest(['plan', '--save', 'plan.json'], { cwd })
    expect(saved.exitCode, saved.stderr).toBe(0)
    expect(saved.stderr).toMatch(/^xtest: saved the plan to plan\.json \(plan sha256:[0-9a-f]{12}\)$/m)
    const part3 = await runXtest(['plan', '--plan', 'plan.json', '--shard', '3/4', '--json'], { cwd })
    const lost = keysOf(JSON.parse(part3.stdout))
    expect(lost.length).toBeGreaterThan(0)
    for (const index of [1, 2, 4]) {
      const part = await runXtest(
        ['run', '--runtime', 'docker', '--plan', 'plan.json', '--shard', `${index}/4`, '--junit', `part-${index}.xml`],
        { cwd },
      )
      expect(part.exitCode, part.stderr).toBe(0)
      leftovers.runDirOf(part.stderr, cwd)
      const properties = readMergedJunit(path.join(cwd, `part-${index}.xml`)).suites.map((suite) => suite.properties)
      expect(new Set(properties.map((p) => `${p.plan_hash} ${p.part}`))).toEqual(
        new Set([`${JSON.parse(fs.readFileSync(path.join(cwd, 'plan.json'), 'utf8')).hash} ${index}/4`]),
      )
    }

    const merged = await runXtest(['merge', 'part-1.xml', 'part-2.xml', 'part-4.xml', '--plan', 'plan.json', '-o', 'all.xml'], { cwd })
    expect(merged.exitCode, merged.stdout + merged.stderr).toBe(1)
    expect(merged.stdout).toContain(`${lost.length} file(s) without a result (xtest.part_missing): part 3/4 uploaded no report; e.g. `)
    const report = readMergedJunit(path.join(cwd, 'all.xml'))
    const errors = report.cases.filter((c) => c.status === 'error')
    expect(errors.map((c) => c.suite).sort()).toEqual(lost)
    for (const error of errors)
      expect(error.message).toBe(`no result for ${error.suite.split('/').slice(2).join('/')}: part 3/4 uploaded no report`)
    const all = keysOf(JSON.parse((await runXtest(['plan', '--json'], { cwd })).stdout))
    expect(report.suites.map((suite) => suite.name).sort()).toEqual(all)

    // Without --plan, the parts' plan hash finds the plan in the run folders: the same verdict.
    const found = await runXtest(['merge', 'part-1.xml', 'part-2.xml', 'part-4.xml', '-o', 'found.xml'], { cwd })
    expect(found.exitCode, found.stdout).toBe(1)
    expect(found.stdout).toContain('part 3/4 uploaded no report')

    // Part 3 cut from another plan (other timings): refused, naming both plans and the files.
    fs.mkdirSync(path.join(cwd, '.xtest'), { recursive: true })
    const entries = Object.fromEntries(all.map((key, i) => [key, { ms: 1000 * (i + 1), runs: 1, seen: '2026-01-01T00:00:00.000Z' }]))
    fs.writeFileSync(path.join(cwd, '.xtest/timings.json'), JSON.stringify({ version: 1, updatedAt: '', entries }))
    const other = await runXtest(['run', '--runtime', 'docker', '--shard', '3/4', '--junit', 'part-3.xml'], { cwd })
    leftovers.runDirOf(other.stderr, cwd)
    const mixed = await runXtest(
      ['merge', 'part-1.xml', 'part-2.xml', 'part-3.xml', 'part-4.xml', '--plan', 'plan.json', '-o', 'mixed.xml'],
      { cwd },
    )
    expect(mixed.exitCode).toBe(2)
    expect(mixed.stderr).toMatch(
      /^xtest: the parts come from different plans: --plan plan\.json, part-1\.xml, part-2\.xml, part-4\.xml \(plan sha256:[0-9a-f]{12}\); part-3\.xml \(plan sha256:[0-9a-f]{12}\)$/m,
    )
    expect(fs.existsSync(path.join(cwd, 'mixed.xml'))).toBe(false)
  }, 300_000)
})

describe('xtest run --failed', () => {
  test('after 2 failing tests in 2 containers, only those 2 cells and those 2 tests run again; a green report runs nothing', async () => {
    const cwd = copy()
    const first = await runXtest(['run', '--runtime', 'docker'], { cwd })
    expect(first.exitCode, first.stderr).toBe(1)
    const firstRun = path.basename(leftovers.runDirOf(first.stderr, cwd))

    const again = await runXtest(['run', '--runtime', 'docker', '--failed'], { cwd })
    expect(again.exitCode, again.stderr).toBe(1)
    expect(again.stderr).toContain(`xtest: re-running the failed tests of ${firstRun}: 2 file(s) in 2 shard(s)`)
    const dir = leftovers.runDirOf(again.stderr, cwd)
    expect(shardDirs(dir)).toEqual(['amp.fast', 'opt.fast'])
    const amp = readShard(dir, 'amp.fast') as ReturnType<typeof readShard> & { command: string[] }
    const opt = readShard(dir, 'opt.fast') as ReturnType<typeof readShard> & { command: string[] }
    expect(amp.files).toEqual(['app/a1.test.ts'])
    expect(opt.files).toEqual(['opt/o1.test.ts'])
    // Between a describe and its test: Vitest 4 joins names with ' ', Vitest 5 with ' > '; either matches.
    expect(amp.command).toContain('--testNamePattern=^(?:parser \\(v2\\)(?: > | )reads \\[dates\\] \\| times\\.\\*)(?: |$)')
    expect(opt.command).toContain('--testNamePattern=^(?:o1 solves \\$x\\^2 = 4\\$ \\(flaky\\?\\))(?: |$)')
    const report = readMergedJunit(path.join(dir, 'junit.xml'))
    expect(report.cases.map((c) => [c.suite, c.name, c.status])).toEqual([
      ['amp/fast/app/a1.test.ts', 'parser (v2) > reads [dates] | times.*', 'failed'],
      ['opt/fast/opt/o1.test.ts', 'o1 solves $x^2 = 4$ (flaky?)', 'failed'],
    ])
    expect(new Set(report.suites.map((suite) => suite.properties.completes))).toEqual(new Set([firstRun]))

    // Fixed: the re-run of the re-run passes, and a re-run of that green report runs nothing.
    fs.rmSync(path.join(cwd, 'failing.marker'))
    const fixed = await runXtest(['run', '--runtime', 'docker', '--failed'], { cwd })
    expect(fixed.exitCode, fixed.stderr).toBe(0)
    leftovers.runDirOf(fixed.stderr, cwd)
    const runs = fs.readdirSync(path.join(cwd, '.xtest/runs')).length
    const nothing = await runXtest(['run', '--runtime', 'docker', '--failed'], { cwd })
    expect(nothing.exitCode, nothing.stderr).toBe(0)
    expect(nothing.stderr.trim()).toBe('xtest: nothing to re-run: .xtest/junit.xml has no failed test')
    expect(fs.readdirSync(path.join(cwd, '.xtest/runs'))).toHaveLength(runs)
  }, 300_000)
})
