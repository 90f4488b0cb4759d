// "No shortcut is less safe than running everything", with the real CLI on the local runtime: `run --failed` that
// cannot place a failure stays red, salvage of a crashed shard whose test forged its progress log never passes, and
// `merge --plan` counts a suite only from the part that owns its file.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { type JUnitReport, parseJUnit } from '../../src/report/index.js'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copy = useTempFixtures()
const read = (file: string): JUnitReport => {
  const parsed = parseJUnit(fs.readFileSync(file, 'utf8'))
  if (!parsed.ok) throw new Error(parsed.message)
  return parsed.value.report
}
const property = (report: JUnitReport, suite: string, name: string) =>
  report.suites.find((each) => each.name === suite)?.properties.find((each) => each.name === name)?.value

describe('run --failed', () => {
  test('a failure whose file was renamed cannot be placed: exit 1, one line naming it and why (not "nothing to re-run")', async () => {
    const cwd = copy('local-shortcuts')
    const first = await runXtest(['run', '--junit', 'first.xml'], { cwd, env: { SHORTCUT_FAIL: 'a' } })
    expect(first.exitCode, first.stderr).toBe(1)
    fs.renameSync(path.join(cwd, 'app/a.test.ts'), path.join(cwd, 'app/a-renamed.test.ts'))
    const retry = await runXtest(['run', '--failed', 'first.xml'], { cwd })
    expect(retry.exitCode, retry.stderr).toBe(1)
    expect(retry.stderr.trim()).toBe(
      'xtest: --failed: 1 failure(s) of first.xml cannot be re-run, so the run stays failed: app/fast/app/a.test.ts (not in the current plan (moved, deleted, or not from this project))',
    )
  }, 120_000)

  test('with one failure placed and one not, the re-run passes its cell but stays red, and so does a --failed of it', async () => {
    const cwd = copy('local-shortcuts')
    const first = await runXtest(['run', '--junit', 'first.xml'], { cwd, env: { SHORTCUT_FAIL: 'ab' } })
    expect(first.exitCode, first.stderr).toBe(1)
    fs.renameSync(path.join(cwd, 'app/a.test.ts'), path.join(cwd, 'app/a-renamed.test.ts'))
    const retry = await runXtest(['run', '--failed', 'first.xml', '--junit', 'retry.xml'], { cwd })
    expect(retry.exitCode, retry.stderr).toBe(1)
    expect(retry.stderr).toContain('xtest: re-running the failed tests of')
    expect(retry.stderr).toContain('cannot be re-run, so the run stays failed: app/fast/app/a.test.ts (not in the current plan')
    const report = read(path.join(cwd, 'retry.xml'))
    expect(report.suites.find((s) => s.name === 'app/fast/app/b.test.ts')!.cases.map((c) => c.result)).toEqual(['passed'])
    expect(report.suites.find((s) => s.name === 'app/fast/app/a.test.ts')!.cases.map((c) => [c.name, c.result])).toEqual([
      ['[xtest] not_rerun', 'error'],
    ])
    // The chain `run || run --failed || run --failed` never goes green by forgetting it.
    const again = await runXtest(['run', '--failed', 'retry.xml'], { cwd })
    expect(again.exitCode, again.stderr).toBe(1)
    expect(again.stderr).toContain('app/fast/app/a.test.ts (not in the current plan')
  }, 180_000)
})

test('run --failed: a failing test renamed since is not re-run by its name filter, so the re-run stays red', async () => {
  const cwd = copy('local-shortcuts')
  const first = await runXtest(['run', '--junit', 'first.xml'], { cwd, env: { SHORTCUT_FAIL: 'a' } })
  expect(first.exitCode, first.stderr).toBe(1)
  const file = path.join(cwd, 'app/a.test.ts')
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("test('a works'", "test('renamed and fine'"))
  const retry = await runXtest(['run', '--failed', 'first.xml', '--junit', 'retry.xml'], { cwd })
  expect(retry.exitCode, retry.stdout + retry.stderr).toBe(1)
  const suite = read(path.join(cwd, 'retry.xml')).suites.find((s) => s.name === 'app/fast/app/a.test.ts')!
  expect(suite.cases.map((c) => [c.name, c.result])).toContainEqual(['[xtest] not_rerun', 'error'])
  expect(suite.cases.find((c) => c.name === '[xtest] not_rerun')!.fault!.message).toBe(
    '1 test(s) that failed in first.xml did not run in this re-run (renamed, removed or skipped since?): "a works"',
  )
}, 120_000)

describe('salvage of a crashed shard whose test forged its progress log', () => {
  test('the forged pass is unverified (exit 1), the other shard’s file is ignored, and --failed re-runs it and finds the failure', async () => {
    const cwd = copy('local-shortcuts')
    const config = ['--config', 'xtest.crash.config.json']
    const first = await runXtest(['run', ...config, '--container', 'crash', '--junit', 'first.xml'], { cwd, env: { SHORTCUT_FORGE: '1' } })
    expect(first.exitCode, first.stderr).toBe(1)
    const report = read(path.join(cwd, 'first.xml'))
    const never = 'crash/fast/crash/b-never.test.ts'
    expect(property(report, never, 'xtest.salvaged')).toBe('progress.ndjson')
    expect(report.suites.find((s) => s.name === never)!.cases.map((c) => c.result)).toEqual(['skipped'])
    expect(report.suites.some((s) => s.name.endsWith('app/a.test.ts'))).toBe(false)
    expect(first.stdout).toContain("1 unverified (salvaged from a crashed shard's log, not a pass)")
    expect(first.stdout).not.toMatch(/\b1 passed\b/)

    // Without the forgery both files really run: b-never fails, so the retry is red (it was green before: salvage
    // said b-never passed, and --failed re-ran only the crashed file).
    const retry = await runXtest(['run', ...config, '--failed', 'first.xml', '--junit', 'retry.xml'], { cwd })
    expect(retry.exitCode, retry.stderr).toBe(1)
    expect(retry.stderr).toMatch(/re-running the failed tests of \S+: 2 file\(s\) in 1 shard\(s\)/)
    const rerun = read(path.join(cwd, 'retry.xml'))
    expect(rerun.suites.find((s) => s.name === never)!.cases.map((c) => [c.name, c.result])).toEqual([['b truly fails', 'failed']])
  }, 180_000)
})

describe('merge --plan: parts own their cells', () => {
  test('part 1 carrying a passing suite for part 2’s file while part 2 never uploads: exit 1, the suite dropped with a note', async () => {
    const cwd = copy('local-shortcuts')
    const saved = await runXtest(['plan', '--save', 'plan.json'], { cwd })
    expect(saved.exitCode, saved.stderr).toBe(0)
    const part1 = await runXtest(['run', '--plan', 'plan.json', '--shard', '1/2', '--junit', 'part-1.xml'], { cwd })
    expect(part1.exitCode, part1.stderr).toBe(0)
    const xml = fs.readFileSync(path.join(cwd, 'part-1.xml'), 'utf8')
    const own = /<testsuite name="app\/fast\/app\/([ab])\.test\.ts"/.exec(xml)![1]!
    const other = own === 'a' ? 'b' : 'a'
    // A copy of its own suite under the other file's name: what a hostile test's extra JUnit suite becomes.
    const suite = /<testsuite name="app\/fast\/app\/[ab]\.test\.ts"[\s\S]*?<\/testsuite>\n/.exec(xml)![0]
    const forged = suite.replaceAll(`app/${own}.test.ts`, `app/${other}.test.ts`).replaceAll(`${own} works`, `${other} works`)
    fs.writeFileSync(path.join(cwd, 'part-1.xml'), xml.replace('</testsuites>', `${forged}</testsuites>`))

    const merged = await runXtest(['merge', 'part-1.xml', '--plan', 'plan.json', '-o', 'all.xml'], { cwd })
    expect(merged.exitCode, merged.stdout + merged.stderr).toBe(1)
    const key = `app/fast/app/${other}.test.ts`
    expect(merged.stdout + merged.stderr).toContain(`part 1/2 reported ${key}, which the plan gives to part 2/2: that result was dropped`)
    const report = read(path.join(cwd, 'all.xml'))
    expect(report.suites.find((s) => s.name === key)!.cases.map((c) => c.name)).toEqual(['[xtest] part_missing'])
    expect(property(report, key, 'xtest.misplaced')).toContain('that result was dropped')
  }, 180_000)
})
