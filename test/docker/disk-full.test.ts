// Against the real engine: the run folder's disk fills up while a container floods its log.
// Before: an uncaught ENOSPC from the log writer killed xtest with a stack trace, no report, and the container ran on.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { containersWith, copyFixtureIntoRepo, requireEngine, useLeftovers } from '../helpers/docker.js'
import { mountTmpfs } from '../helpers/mounts.js'

const leftovers = useLeftovers()
const cwd = copyFixtureIntoRepo('disk-full', 'disk-full')
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-disk-full-'))
let unmount = () => {}

beforeAll(async () => {
  await requireEngine()
  unmount = mountTmpfs(path.join(cwd, '.xtest'), { size: '200k' })
})
afterAll(() => {
  unmount()
  fs.rmSync(cwd, { recursive: true, force: true })
  fs.rmSync(out, { recursive: true, force: true })
})

test('ENOSPC in the run folder: one line naming the files, the merged report at --junit, exit 1 (a test failed), no container left', async () => {
  const junit = path.join(out, 'junit.xml')
  const run = await runXtest(['run', '--config', 'xtest.docker.config.json', '--runtime', 'docker', '--junit', junit], { cwd })
  const runDir = leftovers.runDirOf(run.stderr, cwd)
  expect(run.stderr).not.toContain('internal error')
  expect(run.stderr).not.toMatch(/^\s+at /m)
  expect(run.exitCode, run.stderr).toBe(1)
  const lines = run.stderr.split('\n').filter((line) => line.includes('no space left on device'))
  expect(lines, run.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^xtest: cannot write .*\(ENOSPC\)/)
  expect(fs.readFileSync(junit, 'utf8')).toContain('flood/flood.test.ts')
  expect(await containersWith(`xtest.run=${path.basename(runDir)}`)).toEqual([])
}, 120_000)
