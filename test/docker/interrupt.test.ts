// Ctrl-C during a run with 4 running containers: exit 130 within 10 s, nothing left, a report.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { fixture } from '../helpers/cli.js'
import { containersWith, readMergedJunit, readShard, requireEngine, spawnXtest, useLeftovers, waitFor } from '../helpers/docker.js'

const cwd = fixture('docker-sigint')
const leftovers = useLeftovers()
const SHARDS = ['a.fast', 'b.fast', 'c.fast', 'd.fast']

beforeAll(() => requireEngine())

test('SIGINT with 4 containers running: exit 130 within 10 s, no container left, the merged report written', async () => {
  const child = spawnXtest(['run', '--runtime', 'docker', '--concurrency', '4'], { cwd })
  leftovers.pids.add(child.pid!)
  try {
    // 4 containers up, and in each the test file collected (so Vitest is inside its minute-long sleep).
    const runId = await waitFor(
      '4 running containers',
      async () => {
        const running = await containersWith(`xtest.pid=${child.pid}`, { running: true })
        return running.length === 4 ? running[0]!.split(' ')[1] : undefined
      },
      60_000,
    )
    const dir = path.join(cwd, '.xtest/runs', runId!)
    leftovers.track(dir)
    // A running shard's progress.ndjson is in its private exchange folder (host side: $TMPDIR/xtest-<pid>-<shard>-*/out).
    const progressOf = (id: string) =>
      fs
        .readdirSync(os.tmpdir())
        .filter((name) => name.startsWith(`xtest-${child.pid}-${id}-`))
        .map((name) => path.join(os.tmpdir(), name, 'out', 'progress.ndjson'))
        .find((file) => fs.existsSync(file))
    await waitFor(
      'every shard to collect its test file',
      async () =>
        SHARDS.every((id) => {
          const file = progressOf(id)
          return file !== undefined && fs.readFileSync(file, 'utf8').includes('"collected"')
        }),
      60_000,
    )

    const signalled = Date.now()
    child.kill('SIGINT')
    const result = await child
    const took = Date.now() - signalled
    expect(result.exitCode, String(result.stderr)).toBe(130)
    expect(took).toBeLessThan(10_000)

    expect(await containersWith(`xtest.run=${runId}`)).toEqual([])
    expect(String(result.stderr)).toContain(`(run folder .xtest/runs/${runId})`)
    for (const id of SHARDS) expect(readShard(dir, id), id).toMatchObject({ ended: 'interrupted', runtime: 'docker' })
    const report = readMergedJunit(path.join(dir, 'junit.xml'))
    expect(fs.readFileSync(path.join(cwd, '.xtest/junit.xml'), 'utf8')).toContain(`xtest run ${runId}`)
    expect(new Set(report.suites.map((s) => s.properties.status))).toEqual(new Set(['interrupted']))
    const errors = report.cases.filter((c) => c.status === 'error')
    expect(errors.map((c) => c.suite).sort()).toEqual(['a', 'b', 'c', 'd'].flatMap((x) => [`${x}/fast`, `${x}/fast/${x}.test.ts`]))
    for (const error of errors) expect(error.type).toBe('xtest.interrupted')
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    await child
  }
})
