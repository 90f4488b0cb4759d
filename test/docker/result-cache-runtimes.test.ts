// The result cache keeps a file's results of several runtimes side by side: runs alternating between
// `--runtime local` and `--runtime docker` each reuse their own runtime's entries, so from the second round on no
// shard starts, and the engine creates no container for the docker runs.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { copyFixtureIntoRepo, docker, readShard, requireEngine, shardDirs, useLeftovers } from '../helpers/docker.js'

const leftovers = useLeftovers()
const cwd = copyFixtureIntoRepo('docker-cache-runtimes', 'cache-runtimes')
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-cache-runtimes-'))
afterAll(() => {
  for (const dir of [cwd, cacheDir]) fs.rmSync(dir, { recursive: true, force: true })
})
beforeAll(() => requireEngine())

const FILES = ['answer.test.js', 'plain.test.js']

/** One run: its exit code, the files its started shards ran, and the containers the engine created for it. */
async function run(runtime: 'local' | 'docker') {
  const since = Math.floor(Date.now() / 1000) - 1
  const result = await runXtest(['run', '--runtime', runtime], { cwd, env: { XTEST_CACHE: 'on', XTEST_CACHE_DIR: cacheDir } })
  const runDir = leftovers.runDirOf(result.stderr, cwd)
  const ran = shardDirs(runDir).flatMap((id) => readShard(runDir, id).files)
  const events = await docker([
    'events',
    '--since',
    String(since),
    '--until',
    String(Math.floor(Date.now() / 1000) + 1),
    '--filter',
    'type=container',
    '--filter',
    'event=create',
    '--filter',
    `label=xtest.run=${path.basename(runDir)}`,
    '--format',
    '{{.ID}}',
  ])
  expect(events.exitCode, events.stderr).toBe(0)
  return { ...result, ran, created: events.stdout ? events.stdout.split('\n') : [] }
}

test('local, docker, local, docker, local, docker: each runtime reuses its own results; the third docker run starts no container', async () => {
  const rounds: Array<{ runtime: string; ran: string[]; created: number }> = []
  for (let round = 0; round < 3; round++) {
    for (const runtime of ['local', 'docker'] as const) {
      const result = await run(runtime)
      expect(result.exitCode, result.stdout + result.stderr).toBe(0)
      rounds.push({ runtime, ran: result.ran, created: result.created.length })
    }
  }
  expect(rounds).toEqual([
    { runtime: 'local', ran: FILES, created: 0 },
    // The engine saw the first docker run's container: the check below can see one.
    { runtime: 'docker', ran: FILES, created: 1 },
    { runtime: 'local', ran: [], created: 0 },
    { runtime: 'docker', ran: [], created: 0 },
    { runtime: 'local', ran: [], created: 0 },
    { runtime: 'docker', ran: [], created: 0 },
  ])
  const info = await runXtest(['cache', 'info'], { cwd, env: { XTEST_CACHE_DIR: cacheDir } })
  expect(info.stdout).toMatch(/^entries: 4, /m)
}, 300_000)
