import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { fixture, runXtest } from '../helpers/cli.js'
import { BASE_IMAGE, containersWith, docker, readMergedJunit, requireEngine, spawnXtest, useLeftovers, waitFor } from '../helpers/docker.js'

// Against the real engine: shards killed mid-run, Ctrl-C with 8 containers (once and twice),
// and `kill -9` of xtest itself, cleaned up without touching anything that is not a dead run's.
const cwd = fixture('docker-many')
const leftovers = useLeftovers()
const tempJunit = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-faults-')), 'junit.xml')
const running = async (runLabel: string) => (await containersWith(runLabel, { running: true })).length

beforeAll(() => requireEngine())

test('8 shards, 3 SIGKILLed mid-run: every planned file is reported, each killed shard fails, exit 1', async () => {
  const junit = tempJunit()
  const { exitCode, stderr } = await runXtest(['run', '--concurrency', '8', '--junit', junit], { cwd, env: { SLEEP_MS: '3000' } })
  leftovers.runDirOf(stderr, cwd)
  expect(exitCode).toBe(1)
  const report = readMergedJunit(junit)
  for (const n of [1, 2, 3, 4, 5])
    expect(report.cases).toContainEqual(expect.objectContaining({ suite: `a${n}/fast/sleep/s${n}.test.ts`, status: 'passed' }))
  for (const n of [1, 2, 3]) {
    const killed = report.cases.filter((c) => c.suite.startsWith(`k${n}/fast`))
    expect(killed.some((c) => c.suite === `k${n}/fast/kill/k${n}.test.ts`)).toBe(true)
    expect(killed.filter((c) => c.status === 'error' || c.status === 'failed').length).toBeGreaterThanOrEqual(1)
  }
}, 120_000)

describe('Ctrl-C with 8 running containers', () => {
  async function startAndWait(env: Record<string, string> = {}) {
    const child = spawnXtest(['run', '--config', 'xtest.sleep.config.json', '--concurrency', '8', '--junit', tempJunit()], {
      cwd,
      env: { SLEEP_MS: '60000', ...env },
    })
    leftovers.pids.add(child.pid!)
    await waitFor('8 running containers', async () => (await running(`xtest.pid=${child.pid}`)) === 8, 90_000, 250)
    return { child } // wrapped: a returned execa process is a thenable, and async functions would await it
  }

  test('10 trials: exit 130 within 7 s, nothing of the run left, unfinished shards interrupted', async () => {
    const times: number[] = []
    for (let trial = 0; trial < 10; trial++) {
      const { child } = await startAndWait()
      const sent = Date.now()
      child.kill('SIGINT')
      const result = await child
      const took = Date.now() - sent
      const runDir = leftovers.runDirOf(result.stderr, cwd)
      expect([trial, result.exitCode]).toEqual([trial, 130])
      expect(took, `trial ${trial}`).toBeLessThan(7_000)
      times.push(took)
      const runLabel = `label=xtest.run=${pathBase(runDir)}`
      expect(await containersWith(`xtest.run=${pathBase(runDir)}`)).toEqual([])
      expect((await docker(['network', 'ls', '-q', '--filter', runLabel])).stdout).toBe('')
      expect((await docker(['volume', 'ls', '-q', '--filter', runLabel])).stdout).toBe('')
      const merged = readMergedJunit(path.join(runDir, 'junit.xml'))
      const interrupted = merged.suites.filter((s) => s.properties.status === 'interrupted').map((s) => s.properties.shard)
      expect(new Set(interrupted).size).toBe(8)
      expect(merged.suites.map((s) => s.name)).toContain('s8/fast/sleep/s8.test.ts')
    }
    console.info(`SIGINT → exit 130 with 8 containers, ms per trial: ${times.join(', ')}`)
  }, 600_000)

  test('a second Ctrl-C exits within 2 s; xtest clean removes whatever is left', async () => {
    // Stubborn shards: the first stop waits 3 s for its SIGKILL, so the second Ctrl-C always lands while xtest stops.
    const { child } = await startAndWait({ STUBBORN: '1' })
    child.kill('SIGINT')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const second = Date.now()
    child.kill('SIGINT')
    const result = await child
    expect(result.exitCode).toBe(130)
    expect(Date.now() - second).toBeLessThan(2_000)
    await runXtest(['clean'], { cwd })
    await waitFor('no container of the run', async () => (await containersWith(`xtest.pid=${child.pid}`)).length === 0, 30_000)
  }, 120_000)
})

test("kill -9 of xtest: clean removes the dead run's containers and touches neither decoy", async () => {
  const decoy = await docker([
    'run',
    '-d',
    '--network',
    'none',
    '--label',
    'decoy=1',
    BASE_IMAGE,
    'node',
    '-e',
    'setTimeout(() => {}, 120000)',
  ])
  expect(decoy.exitCode, decoy.stderr).toBe(0)
  const live = spawnXtest(['run', '--config', 'xtest.sleep.config.json', '--container', 's1', '--junit', tempJunit()], {
    cwd,
    env: { SLEEP_MS: '60000' },
  })
  const doomed = spawnXtest(
    ['run', '--config', 'xtest.sleep.config.json', '--container', 's2', '--container', 's3', '--concurrency', '2', '--junit', tempJunit()],
    { cwd, env: { SLEEP_MS: '60000' } },
  )
  leftovers.pids.add(live.pid!)
  leftovers.pids.add(doomed.pid!)
  try {
    await waitFor("the live run's container", async () => (await running(`xtest.pid=${live.pid}`)) === 1, 60_000, 250)
    await waitFor("the doomed run's containers", async () => (await running(`xtest.pid=${doomed.pid}`)) === 2, 60_000, 250)
    doomed.kill('SIGKILL')
    await doomed
    expect(await running(`xtest.pid=${doomed.pid}`)).toBe(2)
    const clean = await runXtest(['clean'], { cwd })
    expect(clean.exitCode).toBe(0)
    expect(clean.stderr).toContain('removed 2 leftover containers')
    expect(await containersWith(`xtest.pid=${doomed.pid}`)).toEqual([])
    expect(await running(`xtest.pid=${live.pid}`)).toBe(1)
    expect((await docker(['inspect', '-f', '{{.State.Running}}', decoy.stdout])).stdout).toBe('true')

    // The next `xtest run` sweeps the same way before it starts.
    const doomedAgain = spawnXtest(['run', '--config', 'xtest.sleep.config.json', '--container', 's2', '--junit', tempJunit()], {
      cwd,
      env: { SLEEP_MS: '60000' },
    })
    leftovers.pids.add(doomedAgain.pid!)
    await waitFor("the second doomed run's container", async () => (await running(`xtest.pid=${doomedAgain.pid}`)) === 1, 60_000, 250)
    doomedAgain.kill('SIGKILL')
    await doomedAgain
    const next = await runXtest(['run', '--config', 'xtest.sleep.config.json', '--container', 's4', '--junit', tempJunit()], {
      cwd,
      env: { SLEEP_MS: '10' },
    })
    leftovers.runDirOf(next.stderr, cwd)
    expect(next.exitCode, next.stderr).toBe(0)
    expect(next.stderr).toContain('removed 1 container left by dead xtest runs')
    expect(await containersWith(`xtest.pid=${doomedAgain.pid}`)).toEqual([])
    expect(await running(`xtest.pid=${live.pid}`)).toBe(1)
    expect((await docker(['inspect', '-f', '{{.State.Running}}', decoy.stdout])).stdout).toBe('true')
  } finally {
    live.kill('SIGINT')
    const result = await live
    leftovers.runDirOf(result.stderr, cwd)
    await docker(['rm', '-f', decoy.stdout])
  }
}, 180_000)

function pathBase(dir: string): string {
  return path.basename(dir)
}
