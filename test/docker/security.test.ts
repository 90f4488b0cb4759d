import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { beforeAll, expect, test } from 'vitest'
import { cliPath, fixture } from '../helpers/cli.js'
import { containersWith, docker, requireEngine, waitFor } from '../helpers/docker.js'

// The security defaults, read off a live shard container with `docker inspect`, and from inside its tests.
const cwd = fixture('docker-security')

beforeAll(() => requireEngine())

test('a live shard container has every security default, and its tests see none of the host', async () => {
  const junit = path.join(fs.mkdtempSync(path.join(cwd, '.xtest-')), 'junit.xml')
  const child = execa('node', [cliPath, 'run', '--runtime', 'docker', '--junit', junit], {
    cwd,
    reject: false,
    env: { CI: 'true', NO_COLOR: '1', GITHUB_TOKEN: 'ghp_not_for_tests', NPM_TOKEN: 'npm_secret', AWS_SECRET_ACCESS_KEY: 'aws_secret' },
  })
  const [line] = await waitFor('the sandbox shard to run', async () => {
    const running = await containersWith('xtest.container=sandbox', { running: true })
    return running.length ? running : undefined
  })
  const inspect = JSON.parse((await docker(['inspect', line!.split(' ')[0]!])).stdout)[0]
  const result = await child
  fs.rmSync(path.dirname(junit), { recursive: true, force: true })

  const host = inspect.HostConfig
  expect(inspect.Config.User).toMatch(/^\d+:\d+$/)
  expect(inspect.Config.User.startsWith('0:')).toBe(false)
  expect(host.CapDrop).toEqual(['ALL'])
  expect(host.CapAdd ?? []).toEqual([])
  expect(host.Privileged).toBe(false)
  expect(host.SecurityOpt).toContain('no-new-privileges')
  expect(host.NetworkMode).toBe('none')
  expect(host.Init).toBe(true)
  expect(host.PidsLimit).toBe(64)
  expect(host.Memory).toBe(512 * 1024 * 1024)
  expect(host.MemorySwap).toBe(host.Memory)
  // The CPU: never every core of the host (all but one, at least one), and half the default weight.
  expect(host.CpuShares).toBe(512)
  expect(host.NanoCpus).toBe(Math.max(1, os.availableParallelism() - 1) * 1e9)
  expect(host.AutoRemove).toBe(false)
  expect(host.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-file': '2', 'max-size': '50m' } })
  expect(Object.keys(host.Tmpfs ?? {})).toContain('/tmp')
  // CI: the image and the repo are read-only; xtest's output folder is hidden by an empty read-only folder; results go out
  // through the shard's own exchange folder, the only writable bind.
  expect(host.ReadonlyRootfs).toBe(true)
  const binds = host.Binds as string[]
  expect(
    binds.find((b) => b.endsWith(':/app:ro')),
    binds.join(' '),
  ).toBeTruthy()
  // The only other writable bind: Vitest 5's `.vitest/` output folder, a folder inside the shard's own `out/`.
  const writable = binds.filter((b) => !b.endsWith(':ro'))
  const target = (to: string) => writable.find((b) => b.split(':')[1] === to)?.split(':')[0]
  expect(writable.map((b) => b.split(':')[1]).sort()).toEqual(['/app/fixtures/docker-security/.vitest', '/xtest/out'])
  expect(target('/app/fixtures/docker-security/.vitest')).toBe(`${target('/xtest/out')}/.vitest`)
  expect(
    binds.find((b) => b.endsWith('/.xtest:ro')),
    binds.join(' '),
  ).toMatch(/\/empty:\/app\/.*\/\.xtest:ro$/)
  expect((host.Binds as string[]).some((b) => /docker\.sock|podman\.sock/.test(b))).toBe(false)
  const env = Object.fromEntries((inspect.Config.Env as string[]).map((e) => [e.split('=')[0], e.slice(e.indexOf('=') + 1)]))
  expect(env.NODE_OPTIONS).toBeUndefined() // an explicit V8 heap flag slows every Vitest process by ~5 %
  expect(env.HOME).toBe('/tmp')
  expect(Object.keys(env).filter((k) => /TOKEN|AWS_|SECRET/.test(k))).toEqual([])
  for (const label of ['xtest.run', 'xtest.shard', 'xtest.host', 'xtest.pid', 'xtest.repo', 'xtest.deadline']) {
    expect(inspect.Config.Labels[label], label).toBeTruthy()
  }

  // The tests inside (no network, no /etc, no socket, no tokens, no capabilities, fork bomb capped) all passed.
  expect(result.exitCode, result.stdout).toBe(0)
  expect(result.stdout).toMatch(/sandbox\s+fast\s+docker \S+\s+passed\s+8\s+0/)
}, 120_000)
