import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()

const FILES = ['src/a.test.ts', 'src/b.test.ts', 'src/c.test.ts', 'src/d.test.ts']
const readTimings = (file: string) =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number; entries: Record<string, { ms: number; runs: number }> }

describe('timings: recorded after each run, fed by xtest merge', () => {
  test('a run records each (container, tier, file); the next run merges into it and reports tier drift', async () => {
    const dir = copyFixture('scale-slices')
    const timingsFile = path.join(dir, '.xtest/timings.json')
    const first = await runXtest(['run', '--runtime', 'local'], { cwd: dir })
    expect(first.exitCode, first.stderr).toBe(0)
    const timings = readTimings(timingsFile)
    expect(timings.version).toBe(1)
    expect(Object.keys(timings.entries)).toEqual(FILES.map((f) => `host/fast/${f}`))
    expect(Object.values(timings.entries).every((e) => e.runs === 1 && e.ms >= 0)).toBe(true)
    timings.entries['host/fast/src/a.test.ts']!.ms = 60_000
    fs.writeFileSync(timingsFile, JSON.stringify(timings))
    const second = await runXtest(['run', '--runtime', 'local'], { cwd: dir })
    expect(second.exitCode, second.stderr).toBe(0)
    expect(readTimings(timingsFile).entries['host/fast/src/a.test.ts']!.runs).toBe(2)
    expect(second.stderr).toContain("xtest: tier drift: 1 file slower than its tier's budget (see xtest plan --drift)")
    const drift = await runXtest(['plan', '--drift'], { cwd: dir })
    expect(drift.stdout).toMatch(/^src\/a\.test\.ts\s+host\s+fast\s+\d+\.\ds\s+over fast's 5\.0s per file: tag it slow$/m)
  })

  test("a file's time is what it cost its worker: its import counts, not only its tests", async () => {
    const dir = copyFixture('scale-slices')
    // Importing heavy.ts takes 600 ms; its test takes none. Vitest's own JUnit would say 0.00 s for this file.
    fs.writeFileSync(
      path.join(dir, 'src/heavy.ts'),
      'const end = performance.now() + 600\nwhile (performance.now() < end) {}\nexport const ready = true\n',
    )
    fs.writeFileSync(
      path.join(dir, 'src/e.test.ts'),
      "import { expect, test } from 'vitest'\nimport { ready } from './heavy'\n\ntest('imports a slow module', () => expect(ready).toBe(true))\n",
    )
    const run = await runXtest(['run', '--runtime', 'local', '--junit', 'out.xml'], { cwd: dir })
    expect(run.exitCode, run.stderr).toBe(0)
    const entries = readTimings(path.join(dir, '.xtest/timings.json')).entries
    expect(entries['host/fast/src/e.test.ts']!.ms).toBeGreaterThanOrEqual(600)
    const junit = fs.readFileSync(path.join(dir, 'out.xml'), 'utf8')
    const suiteTime = Number(/<testsuite name="host\/fast\/src\/e\.test\.ts"[^>]* time="([\d.]+)"/.exec(junit)?.[1])
    expect(suiteTime).toBeGreaterThanOrEqual(0.6)
    const caseTime = Number(/<testcase [^>]*name="imports a slow module" time="([\d.]+)"/.exec(junit)?.[1])
    expect(caseTime).toBeLessThan(0.3)
  })

  test('a corrupt timings.json is ignored with a warning and rewritten; the run still passes', async () => {
    const dir = copyFixture('scale-slices')
    fs.mkdirSync(path.join(dir, '.xtest'))
    fs.writeFileSync(path.join(dir, '.xtest/timings.json'), '{"version":1,"entr')
    const { exitCode, stderr } = await runXtest(['run', '--runtime', 'local', '--shard', '1/2'], { cwd: dir })
    expect(exitCode, stderr).toBe(0)
    expect(stderr).toMatch(/xtest: warning: .*timings\.json is corrupt \(not JSON .*\); ignoring it, the next run rewrites it/)
    // A part's timings wait for the other parts of its split: the file is rewritten after part 2/2.
    expect(fs.readFileSync(path.join(dir, '.xtest/timings.json'), 'utf8')).toBe('{"version":1,"entr')
    const second = await runXtest(['run', '--runtime', 'local', '--shard', '2/2'], { cwd: dir })
    expect(second.exitCode, second.stderr).toBe(0)
    expect(Object.keys(readTimings(path.join(dir, '.xtest/timings.json')).entries)).toHaveLength(4)
  })

  test('xtest merge --timings records the merged report of several machines', async () => {
    const dir = copyFixture('scale-slices')
    const reports: string[] = []
    // Like N CI jobs, every part starts from the same timings (here: none).
    for (const part of ['1/2', '2/2']) {
      fs.rmSync(path.join(dir, '.xtest/timings.json'), { force: true })
      const { exitCode } = await runXtest(['run', '--runtime', 'local', '--shard', part, '--junit', `part-${part[0]}.xml`], { cwd: dir })
      expect(exitCode).toBe(0)
      reports.push(`part-${part[0]}.xml`)
    }
    fs.rmSync(path.join(dir, '.xtest/timings.json'))
    const merged = await runXtest(['merge', ...reports, '-o', 'all.xml', '--timings'], { cwd: dir })
    expect(merged.exitCode, merged.stderr).toBe(0)
    expect(merged.stderr).toContain('xtest: recorded the durations of 4 files in .xtest/timings.json')
    expect(Object.keys(readTimings(path.join(dir, '.xtest/timings.json')).entries)).toEqual(FILES.map((f) => `host/fast/${f}`))
    const custom = await runXtest(['merge', ...reports, '-o', 'all.xml', '--timings=ci-timings.json'], { cwd: dir })
    expect(custom.exitCode).toBe(0)
    expect(Object.keys(readTimings(path.join(dir, 'ci-timings.json')).entries)).toHaveLength(4)
    const swallowed = await runXtest(['merge', '--timings', ...reports, '-o', 'all.xml'], { cwd: dir })
    expect(swallowed.exitCode).toBe(2)
    expect(swallowed.stderr.trim()).toBe(
      "xtest: --timings writes a JSON file, got 'part-1.xml' (write --timings after the input files, or --timings=FILE.json)",
    )
  })
})
