// Infrastructure failures exit 3 with one stderr line naming the container and the cause.
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { fixture, runXtest } from '../helpers/cli.js'
import { readMergedJunit, readShard, requireEngine, useLeftovers } from '../helpers/docker.js'

const leftovers = useLeftovers()

beforeAll(() => requireEngine())

const lines = (stderr: string) => stderr.split('\n')

describe('--runtime docker exits 3 naming the container and the cause', () => {
  test('when the engine is unreachable (DOCKER_HOST=unix:///tmp/xtest-nope.sock)', async () => {
    const result = await runXtest(['run', '--all', '--runtime', 'docker'], {
      cwd: fixture('monorepo'),
      env: { DOCKER_HOST: 'unix:///tmp/xtest-nope.sock' },
    })
    expect(result.exitCode, result.stderr).toBe(3)
    expect(lines(result.stderr)).toContain(
      'xtest: container amp: container engine at unix:///tmp/xtest-nope.sock is unreachable: connect ENOENT /tmp/xtest-nope.sock',
    )
    expect(lines(result.stderr)).toContain('start Docker or Podman, set DOCKER_HOST, or run with --runtime local')
    expect(result.stderr).not.toContain('start  ') // no shard started
  })

  test.each([
    ['tcp://127.0.0.1:1', 'xtest: container amp: container engine at tcp://127.0.0.1:1 is unreachable: connect ECONNREFUSED 127.0.0.1:1'],
    ['foo://bar', "xtest: container amp: unsupported engine host 'foo://bar' (use unix://, tcp:// or ssh://)"],
  ])('when DOCKER_HOST=%s cannot be used', async (host, line) => {
    const result = await runXtest(['run', '--all', '--runtime', 'docker'], { cwd: fixture('monorepo'), env: { DOCKER_HOST: host } })
    expect(result.exitCode, result.stderr).toBe(3)
    expect(lines(result.stderr)[0]).toBe(line)
    expect(result.stderr).not.toContain('start  ')
  })

  test("when the image is missing (image: 'xtest-does-not-exist:1'; xtest never pulls): one line, before any shard", async () => {
    const cwd = fixture('docker-missing-image')
    const result = await runXtest(['run', '--runtime', 'docker'], { cwd })
    expect(result.exitCode, result.stderr).toBe(3)
    expect(lines(result.stderr)).toEqual([
      "xtest: image 'xtest-does-not-exist:1' not on the engine (container ghost); xtest never pulls: run docker pull xtest-does-not-exist:1, or give the container a build: that makes it",
    ])
    expect(result.stdout).toBe('') // no shard, no summary of a run that never started
  })

  test('when the image build fails (RUN false)', async () => {
    const cwd = fixture('docker-build-fails')
    const result = await runXtest(['run', '--runtime', 'docker'], { cwd })
    expect(result.exitCode, result.stderr).toBe(3)
    const dir = leftovers.runDirOf(result.stderr, cwd)
    const cause =
      "container broken: image build failed at 'Step 2/3 : RUN false': The command '/bin/sh -c false' returned a non-zero code: 1" +
      ` (log: ${path.join(dir, 'build-broken.log')})`
    expect(lines(result.stderr)).toContain(`xtest: ${cause}`)
    expect(readShard(dir, 'broken.fast')).toMatchObject({ ended: 'infra', cause })
    expect(readMergedJunit(path.join(dir, 'junit.xml')).cases.every((c) => c.status === 'error' && c.type === 'xtest.infra')).toBe(true)
  })
})
