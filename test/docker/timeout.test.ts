// A shard that hangs past its tier timeout is stopped, removed and reported.
import path from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { fixture, runXtest } from '../helpers/cli.js'
import { containersWith, readMergedJunit, readShard, requireEngine, useLeftovers } from '../helpers/docker.js'

const cwd = fixture('docker-timeout')
const leftovers = useLeftovers()
const TIER_TIMEOUT_MS = 4_000 // tiers.fast.timeout in fixtures/docker-timeout/xtest.config.json

beforeAll(() => requireEngine())

test('a test awaiting forever ends its shard as timed out within timeout + 10 s: container gone, exit 1, an error case', async () => {
  const started = Date.now()
  const result = await runXtest(['run', '--runtime', 'docker'], { cwd, timeout: 60_000 })
  const wall = Date.now() - started
  expect(result.exitCode, result.stderr).toBe(1)
  const dir = leftovers.runDirOf(result.stderr, cwd)

  const shard = readShard(dir, 'hang.fast')
  // The cause names the test that hung, from the reporter's test-start event.
  expect(shard).toMatchObject({
    runtime: 'docker',
    ended: 'timeout',
    cause: expect.stringMatching(
      new RegExp(
        `^timed out after ${TIER_TIMEOUT_MS} ms \\(tier fast\\); still running: hang\\.test\\.ts > awaits forever \\(running for \\d`,
      ),
    ),
  })
  expect(shard.durationMs).toBeGreaterThanOrEqual(TIER_TIMEOUT_MS)
  expect(shard.durationMs).toBeLessThan(TIER_TIMEOUT_MS + 10_000)
  // The whole command: xtest's own start and the merge come on top, not another timeout's worth.
  expect(wall).toBeLessThan(TIER_TIMEOUT_MS + 10_000 + 5_000)

  expect(await containersWith(`xtest.run=${path.basename(dir)}`)).toEqual([])

  const report = readMergedJunit(path.join(dir, 'junit.xml'))
  expect(report.suites.every((s) => s.properties.status === 'timeout')).toBe(true)
  const errors = report.cases.filter((c) => c.status === 'error')
  expect(errors.map((c) => [c.suite, c.name, c.type])).toEqual([
    ['hang/fast', '[xtest] timeout', 'xtest.timeout'],
    ['hang/fast/hang.test.ts', '[xtest] timeout', 'xtest.timeout'],
  ])
  for (const error of errors) expect(error.message).toContain(`timed out after ${TIER_TIMEOUT_MS} ms (tier fast)`)
  expect(report.cases.filter((c) => c.status !== 'error')).toEqual([])
  expect(result.stderr).toContain(`done   hang.fast in `)
})
