// Against the real engine: SIGHUP (a closed terminal) ends a run like Ctrl-C, a second signal
// forces, and Ctrl-C / SIGTERM during `xtest exec` removes its container.
import path from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { fixture } from '../helpers/cli.js'
import { containersWith, readMergedJunit, requireEngine, spawnXtest, useLeftovers, waitFor } from '../helpers/docker.js'

const cwd = fixture('docker-sigint')
const leftovers = useLeftovers()

beforeAll(() => requireEngine())

async function startRun(containers: string[], env: Record<string, string> = {}) {
  const child = spawnXtest(
    ['run', '--runtime', 'docker', '--concurrency', String(containers.length), ...containers.flatMap((c) => ['--container', c])],
    { cwd, env },
  )
  leftovers.pids.add(child.pid!)
  const runId = await waitFor(
    `${containers.length} running containers`,
    async () => {
      const running = await containersWith(`xtest.pid=${child.pid}`, { running: true })
      return running.length === containers.length ? running[0]!.split(' ')[1] : undefined
    },
    90_000,
  )
  leftovers.track(path.join(cwd, '.xtest/runs', runId!))
  return { child, runId: runId! } // wrapped: an execa process is a thenable
}

test('SIGHUP with 2 containers running: exit 130 within 7 s, no container left, the merged report says interrupted', async () => {
  const { child, runId } = await startRun(['a', 'b'])
  try {
    const sent = Date.now()
    child.kill('SIGHUP')
    const result = await child
    expect(result.exitCode, String(result.stderr)).toBe(130)
    expect(Date.now() - sent).toBeLessThan(7_000)
    expect(await containersWith(`xtest.run=${runId}`)).toEqual([])
    const report = readMergedJunit(path.join(cwd, '.xtest/runs', runId, 'junit.xml'))
    expect(new Set(report.suites.map((s) => s.properties.status))).toEqual(new Set(['interrupted']))
    expect(report.cases.map((c) => c.suite)).toContain('a/fast/a.test.ts')
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    await child
  }
}, 120_000)

test('SIGHUP then SIGTERM: the second signal kills and removes at once, exit 130 within 2 s', async () => {
  // Stubborn shards: the first stop waits 3 s for its SIGKILL, so SIGTERM always lands while xtest stops.
  const { child, runId } = await startRun(['c', 'd'], { STUBBORN: '1' })
  try {
    child.kill('SIGHUP')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const second = Date.now()
    child.kill('SIGTERM')
    const result = await child
    expect(result.exitCode).toBe(130)
    expect(Date.now() - second).toBeLessThan(2_000)
    await waitFor('no container of the run', async () => (await containersWith(`xtest.run=${runId}`)).length === 0, 20_000)
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    await child
  }
}, 120_000)

// A command that ignores SIGTERM needs the SIGKILL that follows 3 s later.
const STUBBORN = "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test(`${signal} during xtest exec: the container is removed, exit 130`, async () => {
    const child = spawnXtest(['exec', '--container', 'a', '--runtime', 'docker', '--', 'node', '-e', STUBBORN], { cwd })
    leftovers.pids.add(child.pid!)
    let printed = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk
    })
    try {
      await waitFor('the command to start', async () => printed.includes('up'), 60_000)
      expect(await containersWith(`xtest.pid=${child.pid}`, { running: true })).toHaveLength(1)
      const sent = Date.now()
      process.kill(child.pid!, signal) // not child.kill: execa would follow a SIGTERM with its own SIGKILL after 5 s
      const result = await child
      expect(result.exitCode, String(result.stderr)).toBe(130)
      expect(Date.now() - sent).toBeLessThan(7_000)
      expect(result.stderr).toContain(`xtest: ${signal}: stopping the command`)
      expect(await containersWith(`xtest.pid=${child.pid}`)).toEqual([])
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      await child
    }
  }, 90_000)
}
