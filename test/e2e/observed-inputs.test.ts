// The result cache keys a file by what it really depended on (docs/cache.md, "The key"), on the local runtime: after
// a green run, each input below is changed so that its test fails, and the next cached run must run that file and
// exit 1 with the failure. Files xtest cannot see into (a spawned process, a Worker) run every time, and
// `xtest plan --files` says why.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { BASE_ENV, ENV_KINDS, FILE_KINDS, failedFiles, type InputKind, restore } from '../helpers/observed-inputs.js'
import { useRepoFixtures } from '../helpers/repo-fixture.js'

const copy = useRepoFixtures()
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-observed-inputs-'))
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }))
const cacheEnv = { XTEST_CACHE: 'on', XTEST_CACHE_DIR: cacheDir }

async function run(cwd: string, env: Record<string, string> = {}, args: string[] = []) {
  const result = await runXtest(['run', '--runtime', 'local', ...args], { cwd, env: { ...cacheEnv, ...BASE_ENV, ...env } })
  const junit = fs.readFileSync(path.join(cwd, '.xtest/junit.xml'), 'utf8')
  return { ...result, failed: failedFiles(junit), cached: Number(/result cache: (\d+) of/.exec(result.stderr)?.[1] ?? -1) }
}

const plan = async (cwd: string, env: Record<string, string> = {}) =>
  (await runXtest(['plan', '--files'], { cwd, env: { ...cacheEnv, ...BASE_ENV, ...env } })).stdout

describe('each input, edited after a green run, makes the next cached run fail', () => {
  const cwd = copy('cache-inputs')
  test('green, then everything but the two files xtest cannot see into comes from the cache', async () => {
    expect((await run(cwd)).exitCode).toBe(0)
    const again = await run(cwd)
    expect(again.exitCode, again.stdout + again.stderr).toBe(0)
    expect(again.cached, again.stderr).toBe(9)
  }, 120_000)

  test.each([...FILE_KINDS, ...ENV_KINDS])(
    '$name',
    async (kind: InputKind) => {
      const after = await run(cwd, kind.edit(cwd) ?? {})
      expect(after.exitCode, after.stdout + after.stderr).toBe(1)
      expect(after.failed).toEqual([kind.file])
      // Back to green: the fixture's files again (and the next kind starts from a stored pass).
      restore(cwd)
      const green = await run(cwd)
      expect(green.exitCode, green.stdout + green.stderr).toBe(0)
    },
    120_000,
  )
})

test('xtest plan --files says why a file runs: where it spawns a process, which input changed', async () => {
  const cwd = copy('cache-inputs')
  expect((await run(cwd)).exitCode).toBe(0)
  fs.writeFileSync(path.join(cwd, 'data/value.txt'), 'edited\n')
  const rows = (await plan(cwd)).split('\n')
  const row = (file: string) => rows.find((line) => line.startsWith(file)) ?? ''
  expect(row('t/cli.test.js')).toMatch(/spawns a process at t\/cli\.test\.js:4$/)
  expect(row('t/worker.test.js')).toMatch(/starts a Worker at t\/worker\.test\.js:4$/)
  // It reads the file through `new URL('../data/value.txt', import.meta.url)`, which the import scan also follows (as
  // Vite does for assets): named as a changed module or a changed file, the reason names the file.
  expect(row('t/fs-read.test.js')).toMatch(/(file .*data\/value\.txt changed|changed module .*data\/value\.txt)$/)
  expect(row('t/listing.test.js')).toMatch(/cached \(run /)
  const tz = (await plan(cwd, { TZ: 'Asia/Tokyo' })).split('\n').find((line) => line.startsWith('t/env-vars.test.js'))
  expect(tz).toMatch(/env TZ changed$/)
}, 120_000)

test('random edits on the real CLI: a cached run never passes a file that --no-cache fails (seeded)', async () => {
  const seed = Number(process.env.XTEST_PROPERTY_SEED ?? 20)
  let state = seed
  const rand = (n: number) => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state % n
  }
  const cwd = copy('cache-inputs')
  expect((await run(cwd)).exitCode).toBe(0)
  const kinds = [...FILE_KINDS, ...ENV_KINDS]
  for (let round = 0; round < 3; round++) {
    const picked = kinds.filter(() => rand(4) === 0)
    const env = Object.assign({}, ...picked.map((kind) => kind.edit(cwd) ?? {}))
    const cached = await run(cwd, env)
    const fresh = await run(cwd, env, ['--no-cache'])
    const context = `seed ${seed} (XTEST_PROPERTY_SEED=${seed}), round ${round}: ${picked.map((kind) => kind.name).join('; ')}`
    expect(cached.failed, context).toEqual(fresh.failed)
    expect(cached.exitCode, context).toBe(fresh.exitCode)
    restore(cwd)
    expect((await run(cwd)).exitCode, context).toBe(0)
  }
}, 600_000)
