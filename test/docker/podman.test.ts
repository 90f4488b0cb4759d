// The same Docker runtime through Podman's Docker-compatible socket.
// Podman is optional on the engine machine (.ci/engine.sh goes on without it), so this file runs only where the
// socket exists. Where it exists it must answer and work: then a failure is a failure, never a skip.
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { fixture, runXtest } from '../helpers/cli.js'
import {
  imageId,
  PODMAN_HOST,
  PODMAN_SOCKET,
  readMergedJunit,
  readShard,
  requireEngine,
  shardDirs,
  useLeftovers,
} from '../helpers/docker.js'

const cwd = fixture('monorepo')
const hasPodman = fs.existsSync(PODMAN_SOCKET)

describe.runIf(hasPodman)(`through Podman (only where ${PODMAN_SOCKET} exists)`, () => {
  const leftovers = useLeftovers(PODMAN_HOST)
  beforeAll(() => requireEngine(PODMAN_HOST))

  test(`the monorepo's opt fast shard runs in Podman's opt image via DOCKER_HOST=${PODMAN_HOST}`, async () => {
    const result = await runXtest(['run', '--container', 'opt', '--tier', 'fast', '--runtime', 'docker'], {
      cwd,
      env: { DOCKER_HOST: PODMAN_HOST },
    })
    expect(result.exitCode, result.stderr).toBe(0)
    const dir = leftovers.runDirOf(result.stderr, cwd)
    expect(shardDirs(dir)).toEqual(['opt.fast'])
    const shard = readShard(dir, 'opt.fast')
    expect(shard).toMatchObject({ runtime: 'docker', exitCode: 0 })
    expect(shard.image).toMatch(/^xtest-opt:[0-9a-f]{16}$/)
    // The image it ran is Podman's (built there, from localhost/xtest-node:test), not Docker's of the same tag.
    expect(shard.imageId).toBe(await imageId(shard.image!, PODMAN_HOST))
    expect(shard.imageId).not.toBe(await imageId(shard.image!))
    const report = readMergedJunit(path.join(dir, 'junit.xml'))
    expect(report.cases.map((c) => [c.suite, c.name, c.status]).sort()).toEqual([
      ['opt/fast/app/legacy/solver-compat.test.ts', 'legacy callers still get a solution', 'passed'],
      ['opt/fast/optimizer/runtime.test.ts', 'runs with the tier and container xtest set', 'passed'],
      ['opt/fast/optimizer/solver.test.ts', 'finds the minimum', 'passed'],
    ])
  })
})
