// Ctrl-C while an image builds: the build is cancelled on the engine, not waited for; exit 130 at once, nothing left.
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { fixture } from '../helpers/cli.js'
import { docker, readShard, requireEngine, spawnXtest, useLeftovers, waitFor } from '../helpers/docker.js'

const cwd = fixture('docker-build-interrupt')
const leftovers = useLeftovers()
const buildContainers = async () =>
  (await docker(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Command}}'])).stdout
    .split('\n')
    .filter((line) => line.includes('sleep 61'))

beforeAll(() => requireEngine())

test('SIGINT during a minute-long image build: exit 130 within 5 s, the build cancelled, its shard interrupted', async () => {
  const runs = path.join(cwd, '.xtest/runs')
  fs.rmSync(runs, { recursive: true, force: true }) // the run folder to find is this run's
  const child = spawnXtest(['run', '--runtime', 'docker'], { cwd })
  leftovers.pids.add(child.pid!)
  try {
    // The build is inside its long RUN step: the engine runs a build container for it.
    const runId = await waitFor(
      'the build to reach its sleep',
      async () => {
        if (!(await buildContainers()).length || !fs.existsSync(runs)) return undefined
        return fs.readdirSync(runs).find((id) => fs.existsSync(path.join(runs, id, 'build-slowbuild.log')))
      },
      60_000,
    )
    const dir = path.join(runs, runId!)
    leftovers.track(dir)

    const signalled = Date.now()
    child.kill('SIGINT')
    const result = await child
    expect(Date.now() - signalled).toBeLessThan(5_000)
    expect(result.exitCode, String(result.stderr)).toBe(130)
    expect(readShard(dir, 'slowbuild.fast')).toMatchObject({ ended: 'interrupted' })
    expect(String(result.stderr)).not.toContain('image build failed')
    // The engine cancels a build whose client is gone and removes its build container.
    await waitFor('the build container to be removed', async () => (await buildContainers()).length === 0, 15_000)
    const tags = (await docker(['images', '--format', '{{.Repository}}:{{.Tag}}', 'xtest-slowbuild'])).stdout
    expect(tags).toBe('')
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    await child
  }
})
