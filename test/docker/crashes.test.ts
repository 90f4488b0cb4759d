// A killed shard and a shard out of memory are recorded with their cause; the others are unaffected.
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { type CliResult, fixture, runXtest } from '../helpers/cli.js'
import { type MergedReport, readMergedJunit, readShard, requireEngine, useLeftovers } from '../helpers/docker.js'

const cwd = fixture('docker-crashes')
const leftovers = useLeftovers()
let result: CliResult
let dir: string
let report: MergedReport

beforeAll(async () => {
  await requireEngine()
  // Four containers in one run: killed, oom (128m), oom-worker (256m) and ok.
  result = await runXtest(['run', '--runtime', 'docker', '--concurrency', '2'], { cwd })
  dir = leftovers.runDirOf(result.stderr, cwd)
  report = readMergedJunit(path.join(dir, 'junit.xml'))
}, 120_000)

const errorsOf = (container: string) => report.cases.filter((c) => c.suite.startsWith(`${container}/`) && c.status === 'error')
const statusOf = (container: string) =>
  new Set(report.suites.filter((s) => s.name.startsWith(`${container}/`)).map((s) => s.properties.status))

describe('one run with a killed shard, two out of memory, and a healthy one', () => {
  test('exits 1', () => {
    expect(result.exitCode, result.stderr).toBe(1)
  })

  test('the shard whose Vitest process got SIGKILL is recorded as killed, with that cause', () => {
    const cause =
      "killed by SIGKILL (exit 137) not sent by xtest: a test's kill, or the OOM killer at the memory limit 4g (the engine reported no out-of-memory)"
    expect(readShard(dir, 'killed.fast')).toMatchObject({ exitCode: 137, signal: 'SIGKILL', cause })
    expect(statusOf('killed')).toEqual(new Set(['killed']))
    const errors = errorsOf('killed')
    expect(errors.map((c) => [c.suite, c.name])).toEqual([
      ['killed/fast', '[xtest] shard_crashed'],
      ['killed/fast/killed/killed.test.ts', '[xtest] shard_crashed'],
    ])
    for (const error of errors) expect(error.message).toContain(`crashed (exit code 137, SIGKILL): ${cause}`)
  })

  test.each([
    ['oom', '128m', 'oom/main.test.ts'],
    ['oom-worker', '256m', 'oom/worker.test.ts'],
  ])('the container %s exceeding its memory limit (%s) is recorded as out of memory', (container, memory, file) => {
    const shard = readShard(dir, `${container}.fast`)
    // 128m: the OOM killer usually picks Vitest's main process (exit 137); 256m: the worker, and Vitest exits 1.
    expect(shard).toMatchObject({ ended: 'oom', cause: `out of memory: container ${container} exceeded its memory limit ${memory}` })
    expect(shard.exitCode).not.toBe(0)
    expect(statusOf(container)).toEqual(new Set(['oom']))
    const errors = errorsOf(container)
    expect(errors[0]).toMatchObject({ suite: `${container}/fast`, name: '[xtest] oom', type: 'xtest.oom' })
    for (const error of errors) expect(error.message).toContain('out of memory')
    // The test file is accounted for: a failing case of its own (a worker killed mid-test) or xtest's error case.
    const cases = report.cases.filter((c) => c.suite === `${container}/fast/${file}`)
    expect(cases.length).toBeGreaterThan(0)
    expect(cases.filter((c) => c.status !== 'failed' && c.status !== 'error')).toEqual([])
  })

  test("the healthy container's shard passes, its results untouched", () => {
    const shard = readShard(dir, 'ok.fast')
    expect(shard).toMatchObject({ exitCode: 0, signal: null })
    expect(shard.ended).toBeUndefined()
    expect(shard.cause).toBeUndefined()
    expect(statusOf('ok')).toEqual(new Set(['passed']))
    expect(report.cases.filter((c) => c.suite.startsWith('ok/')).map((c) => [c.suite, c.name, c.status])).toEqual([
      ['ok/fast/ok/ok.test.ts', 'passes next to the crashing shards', 'passed'],
      ['ok/fast/ok/ok.test.ts', 'passes too', 'passed'],
    ])
  })
})
