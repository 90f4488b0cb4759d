import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { defaultShardCpus } from '../../src/run/shard-specs.js'
import { runXtest } from '../helpers/cli.js'
import { copyFixtureIntoRepo, requireEngine, useLeftovers } from '../helpers/docker.js'

// No default CPU limit (host load 99 during a fork bomb). A shard's container now gets its
// share of the cores at this --concurrency, unless the container sets `cpus`; its tests read the quota off the cgroup.
// Inside the repository, under the /app mount that a shard (nobody, when the tests run as root) can read.
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})
const copyFixture = (name: string) => {
  const dir = copyFixtureIntoRepo(name, 'cpus')
  dirs.push(dir)
  return dir
}
useLeftovers()
beforeAll(() => requireEngine())
const cores = os.availableParallelism()

test.each([
  [1, String(defaultShardCpus(cores, 1, 2))],
  [2, String(defaultShardCpus(cores, 2, 2))],
])('--concurrency %i: each shard gets %s core(s)', async (concurrency, expected) => {
  const dir = copyFixture('docker-cpus')
  const result = await runXtest(['run', '--runtime', 'docker', '--concurrency', String(concurrency)], {
    cwd: dir,
    env: { EXPECT_CPUS: expected },
  })
  expect(result.exitCode, result.stdout + result.stderr).toBe(0)
  expect(result.stdout).toMatch(/2 passed/)
})

test("a container's own cpus wins", async () => {
  const dir = copyFixture('docker-cpus')
  const file = path.join(dir, 'xtest.config.json')
  const config = JSON.parse(fs.readFileSync(file, 'utf8'))
  config.containers.a.cpus = 0.5
  config.containers.b.cpus = 0.5
  fs.writeFileSync(file, JSON.stringify(config))
  const result = await runXtest(['run', '--runtime', 'docker'], { cwd: dir, env: { EXPECT_CPUS: '0.5' } })
  expect(result.exitCode, result.stdout + result.stderr).toBe(0)
})

test('the share: all cores but one / shards at once (at most --concurrency), in 0.01 steps, at least 1', () => {
  expect(defaultShardCpus(2, 2, 2)).toBe(1)
  // One shard never gets every core: a fork bomb in it left a 2-core host at load 522.
  expect(defaultShardCpus(2, 1, 5)).toBe(1)
  expect(defaultShardCpus(2, 1, 1)).toBe(1)
  expect(defaultShardCpus(8, 8, 2)).toBe(3.5)
  expect(defaultShardCpus(8, 3, 10)).toBe(2.33)
  expect(defaultShardCpus(2, 16, 16)).toBe(1)
  expect(defaultShardCpus(4, Infinity, 1)).toBe(3)
})
