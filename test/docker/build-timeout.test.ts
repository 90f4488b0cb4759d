import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { copyFixtureIntoRepo, docker, requireEngine, useLeftovers, waitFor } from '../helpers/docker.js'

// A hanging image build had no time limit. `limits.buildTimeout` stops it: exit 3 naming the
// limit, the build cancelled on the engine, for `xtest build` and for `xtest run` (whose report says why).
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})
useLeftovers()
beforeAll(() => requireEngine())
const buildContainers = async () =>
  (await docker(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Command}}'])).stdout
    .split('\n')
    .filter((line) => line.includes('sleep 61'))

function slowBuild(): string {
  const dir = copyFixtureIntoRepo('docker-build-interrupt', 'build-timeout')
  dirs.push(dir)
  fs.writeFileSync(
    path.join(dir, 'xtest.config.mjs'),
    `export default {
  containers: { slowbuild: { build: { context: 'img', args: { NONCE: String(Date.now()) } } } },
  limits: { buildTimeout: '4s' },
}
`,
  )
  return dir
}

test('xtest build: exit 3 at the limit, naming it', async () => {
  const started = Date.now()
  const result = await runXtest(['build'], { cwd: slowBuild() })
  expect(result.exitCode, result.stderr).toBe(3)
  expect(result.stderr).toMatch(
    /^xtest: container slowbuild: image build did not finish in 4\.0s \(limits\.buildTimeout in the xtest config; log: /m,
  )
  expect(Date.now() - started).toBeLessThan(45_000)
  await waitFor('the build container to be removed', async () => (await buildContainers()).length === 0, 20_000)
})

test('xtest run: the shards of that image are infra errors, exit 3, with the cause in the report', async () => {
  const dir = slowBuild()
  const result = await runXtest(['run', '--runtime', 'docker'], { cwd: dir })
  expect(result.exitCode, result.stderr).toBe(3)
  expect(result.stderr).toMatch(/image build did not finish in 4\.0s \(limits\.buildTimeout/)
  expect(fs.readFileSync(path.join(dir, '.xtest/junit.xml'), 'utf8')).toMatch(/image build did not finish in 4\.0s/)
  await waitFor('the build container to be removed', async () => (await buildContainers()).length === 0, 20_000)
})
