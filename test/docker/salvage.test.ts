// A shard whose Vitest dies after 5 of 7 files keeps those 5 files' results (from the
// progress.ndjson its reporter appended as it went), as unverified (the shard's own word, never a pass); only the
// file that was running and the one never started are crash cases. The run stays red.
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { type CliResult, fixture, runXtest } from '../helpers/cli.js'
import { type MergedReport, readMergedJunit, readShard, requireEngine, useLeftovers } from '../helpers/docker.js'

const cwd = fixture('docker-salvage')
const leftovers = useLeftovers()
let result: CliResult
let dir: string
let report: MergedReport

beforeAll(async () => {
  await requireEngine()
  result = await runXtest(['run', '--runtime', 'docker'], { cwd })
  dir = leftovers.runDirOf(result.stderr, cwd)
  report = readMergedJunit(path.join(dir, 'junit.xml'))
}, 120_000)

describe('a shard killed after 5 of its 7 files finished', () => {
  test('exits 1 and the shard is recorded as killed', () => {
    expect(result.exitCode, result.stderr).toBe(1)
    expect(readShard(dir, 'salvage.fast')).toMatchObject({ exitCode: 137, signal: 'SIGKILL' })
    expect(new Set(report.suites.map((suite) => suite.properties.status))).toEqual(new Set(['killed']))
    expect(result.stdout).toContain("10 unverified (salvaged from a crashed shard's log, not a pass)")
  })

  test('the 5 finished files keep their tests, as unverified (skipped with a note), never passed', () => {
    expect(report.cases.filter((c) => c.status === 'passed')).toEqual([])
    const unverified = report.cases.filter((c) => c.status === 'skipped').map((c) => [c.suite, c.name])
    expect(unverified).toEqual(
      [1, 2, 3, 4, 5].flatMap((i) => [
        [`salvage/fast/files/f${i}.test.ts`, `f${i} adds`],
        [`salvage/fast/files/f${i}.test.ts`, `f${i} is finished`],
      ]),
    )
  })

  test('the running file and the never-started one are crash cases, and the shard case says what was kept', () => {
    const errors = report.cases.filter((c) => c.status !== 'skipped')
    expect(errors.map((c) => [c.suite, c.name, c.status])).toEqual([
      ['salvage/fast', '[xtest] shard_crashed', 'error'],
      ['salvage/fast/files/f6.test.ts', '[xtest] shard_crashed', 'error'],
      ['salvage/fast/files/f7.test.ts', '[xtest] shard_crashed', 'error'],
    ])
    expect(errors[1]!.message).toMatch(/^files\/f6\.test\.ts was still running when the shard ended, after 0 finished test\(s\)/)
    expect(errors[2]!.message).toMatch(/^no result for files\/f7\.test\.ts/)
    expect(result.stdout).toContain(
      'salvage.fast: kept the results of 5 file(s) that finished before the shard ended (from progress.ndjson: failures stay, passes are unverified)',
    )
  })
})
