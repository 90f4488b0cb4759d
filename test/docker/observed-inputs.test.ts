// The result cache keys a file by what it really depended on (docs/cache.md, "The key"), on the real engine: after a
// green run, each input is changed so that its test fails, and the next cached run must run that file and exit 1
// with the failure. The environment a Docker shard sees is its image and the container's `env`.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { copyFixtureIntoRepo, requireEngine, useLeftovers } from '../helpers/docker.js'
import { FILE_KINDS, failedFiles, type InputKind, restore } from '../helpers/observed-inputs.js'

const leftovers = useLeftovers()
beforeAll(() => requireEngine())
const cwd = copyFixtureIntoRepo('cache-inputs', 'inputs')
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-observed-inputs-'))
afterAll(() => {
  for (const dir of [cwd, cacheDir]) fs.rmSync(dir, { recursive: true, force: true })
})

const CONFIG = (tz: string) => JSON.stringify({ containers: { box: { image: 'xtest-node:test', env: { TZ: tz }, memory: '1g' } } })
// The image's env: the env-vars test asks for TZ=UTC and no NODE_OPTIONS; the container's `env` sets TZ.
const dockerSetup = () => fs.writeFileSync(path.join(cwd, 'xtest.config.json'), CONFIG('UTC'))

async function run() {
  const result = await runXtest(['run', '--runtime', 'docker'], { cwd, env: { XTEST_CACHE: 'on', XTEST_CACHE_DIR: cacheDir } })
  leftovers.runDirOf(result.stderr, cwd)
  const junit = fs.readFileSync(path.join(cwd, '.xtest/junit.xml'), 'utf8')
  return { ...result, failed: failedFiles(junit), cached: Number(/result cache: (\d+) of/.exec(result.stderr)?.[1] ?? -1) }
}

const ENV_KIND: InputKind = {
  name: "the container's env (TZ)",
  file: 't/env-vars.test.js',
  edit: (dir) => void fs.writeFileSync(path.join(dir, 'xtest.config.json'), CONFIG('Asia/Tokyo')),
}

describe('each input, edited after a green run, makes the next cached run fail (Docker)', () => {
  test('green, then everything but the two files xtest cannot see into comes from the cache', async () => {
    dockerSetup()
    const first = await run()
    expect(first.exitCode, first.stdout + first.stderr).toBe(0)
    const again = await run()
    expect(again.exitCode, again.stdout + again.stderr).toBe(0)
    expect(again.cached, again.stderr).toBe(9)
  }, 240_000)

  test.each([...FILE_KINDS, ENV_KIND])(
    '$name',
    async (kind: InputKind) => {
      kind.edit(cwd)
      const after = await run()
      expect(after.exitCode, after.stdout + after.stderr).toBe(1)
      expect(after.failed).toEqual([kind.file])
      restore(cwd)
      dockerSetup()
      const green = await run()
      expect(green.exitCode, green.stdout + green.stderr).toBe(0)
    },
    240_000,
  )
})
