// A file edited while the run runs (a person saving in an editor) must not leave a stored pass for what it held
// before: the host hashes modules before the run (to look up stored results) and again when it stores, and only the
// second reading, with nothing changed since the run started (content, or times put back: ctime), may be stored.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, expect, test } from 'vitest'
import { cliPath, hostEnvWithoutCi } from '../helpers/cli.js'
import { useRepoFixtures } from '../helpers/repo-fixture.js'

const copy = useRepoFixtures()
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-cache-edit-'))
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }))

/** One run; `whileRunning` is called once the shard has started (its test waits PAUSE_MS before loading the value). */
async function run(cwd: string, whileRunning?: () => void) {
  const child = execa('node', [cliPath, 'run', '--runtime', 'local', '--progress', 'plain'], {
    cwd,
    env: { ...hostEnvWithoutCi(), NO_COLOR: '1', CI: 'true', XTEST_CACHE: 'on', XTEST_CACHE_DIR: cacheDir, PAUSE_MS: '2500' },
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  })
  let started = false
  child.stderr?.on('data', (chunk: Buffer) => {
    if (started || !chunk.toString().includes('start  host.fast')) return
    started = true
    whileRunning?.()
  })
  const result = await child
  const runDir = path.join(cwd, /\(run folder (.+?)\)\s*$/m.exec(result.stderr)![1]!.replace(/^.*?\.xtest/, '.xtest'))
  const shard = path.join(runDir, 'host.fast', 'shard.json')
  const ran = fs.existsSync(shard) ? (JSON.parse(fs.readFileSync(shard, 'utf8')) as { files: string[] }).files : []
  return { exitCode: result.exitCode, output: result.stdout + result.stderr, ran, started }
}

test('a module edited during the run: its old content gets no stored pass, the next run runs the test', async () => {
  const cwd = copy('cache-edited-during-run')
  const valueFile = path.join(cwd, 'lib/value.js')
  const first = await run(cwd)
  expect([first.exitCode, first.ran], first.output).toEqual([0, ['edited.test.js']])
  expect((await run(cwd)).ran, 'stored, then reused').toEqual([])
  // The value the test fails with; the run looks up the stored pass (reading value.js) and runs the test again.
  fs.writeFileSync(valueFile, 'export const value = 1\n')
  // While it runs, the edit it passes with lands, before the test loads the module.
  const during = await run(cwd, () => fs.writeFileSync(valueFile, 'export const value = 2\n'))
  expect(during.started).toBe(true)
  expect([during.exitCode, during.ran], during.output).toEqual([0, ['edited.test.js']])
  // Undone. The only pass on record was made with 2: with 1 the test must run, and fail.
  fs.writeFileSync(valueFile, 'export const value = 1\n')
  const after = await run(cwd)
  expect([after.exitCode, after.ran], after.output).toEqual([1, ['edited.test.js']])
}, 180_000)
