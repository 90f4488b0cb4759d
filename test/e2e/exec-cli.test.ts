// `xtest exec`'s bad input: one line naming the culprit, exit 2, before any engine or image work.
import { expect, test } from 'vitest'
import { fixture, runXtest } from '../helpers/cli.js'

const cwd = fixture('docker-sigint')

test.for([
  [['exec', '--', 'node', '-v'], 'xtest exec needs exactly one --container NAME'],
  [['exec', '--container', 'a,b', '--', 'node', '-v'], 'xtest exec needs exactly one --container NAME'],
  [['exec', '--container', 'a'], 'xtest exec needs a command after --'],
  [['exec', '--container', 'a', '--runtime', 'podman', '--', 'node', '-v'], "--runtime expects one of auto, docker, local, got 'podman'"],
  [['exec', '--container', 'zz', '--', 'node', '-v'], "unknown container 'zz' (known: a, b, c, d)"],
] as const)('xtest %j: exit 2', async ([args, message]) => {
  const result = await runXtest([...args], { cwd })
  expect(result.exitCode, result.stderr).toBe(2)
  expect(result.stderr).toContain(`xtest: ${message}`)
})
