// Issue 11, groups 9 and 10: report paths that are not files, a full disk and a read-only output folder. Each ends
// in one line naming the file and the cause, the right exit code, the merged report wherever the disk allows, and
// never a stack trace or "internal error".
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { makeNullDevice, mountTmpfs } from '../helpers/mounts.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()
const unmounts: (() => void)[] = []
afterEach(() => {
  for (const unmount of unmounts.splice(0)) unmount()
})
const temps: string[] = []
afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true })
})
const tempDir = () => {
  temps.push(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-report-faults-')))
  return temps.at(-1)!
}

function expectNoCrash(stderr: string): void {
  expect(stderr).not.toContain('internal error')
  expect(stderr).not.toMatch(/^\s+at /m)
}

test('--junit and merge -o at a device node: exit 2 naming it; the device is left alone', async () => {
  const cwd = copyFixture('local-faults')
  const device = makeNullDevice(path.join(tempDir(), 'null'))
  const run = await runXtest(['run', '--container', 'ok', '--junit', device], { cwd })
  expect(run.exitCode, run.stderr).toBe(2)
  expect(run.stderr.trim()).toBe(`xtest: --junit ${device}: a character device, not a regular file; give a file path`)
  expect(run.stderr).not.toMatch(/^start /m) // refused before any work
  expect(fs.statSync(device).isCharacterDevice()).toBe(true)

  const input = path.join(tempDir(), 'in.xml')
  fs.writeFileSync(input, '<testsuites><testsuite name="s" tests="1"><testcase classname="c" name="t"/></testsuite></testsuites>')
  const merge = await runXtest(['merge', input, '-o', device], { cwd })
  expect(merge.exitCode, merge.stderr).toBe(2)
  expect(merge.stderr.trim()).toBe(`xtest: -o ${device}: a character device, not a regular file; give a file path`)
  expect(fs.statSync(device).isCharacterDevice()).toBe(true)
})

test('--junit DIR and merge -o DIR: exit 2 naming the folder, before any work', async () => {
  const cwd = copyFixture('local-faults')
  const dir = tempDir()
  const run = await runXtest(['run', '--container', 'ok', '--junit', dir], { cwd })
  expect(run.exitCode).toBe(2)
  expect(run.stderr.trim()).toBe(`xtest: --junit ${dir}: a folder, not a regular file; give a file path`)
  const merge = await runXtest(['merge', path.join(cwd, 'nothing.xml'), '-o', dir], { cwd })
  expect(merge.exitCode).toBe(2)
  expect(merge.stderr.trim()).toBe(`xtest: -o ${dir}: a folder, not a regular file; give a file path`)
})

test('--summary /dev/full on a passing run: the report is written, one line, exit 3', async () => {
  const cwd = copyFixture('local-faults')
  const junit = path.join(tempDir(), 'junit.xml')
  const run = await runXtest(['run', '--container', 'ok', '--junit', junit, '--summary', '/dev/full'], { cwd })
  expectNoCrash(run.stderr)
  expect(run.exitCode, run.stderr).toBe(3)
  expect(run.stderr).toContain('xtest: cannot write /dev/full: no space left on device (ENOSPC)')
  expect(fs.readFileSync(junit, 'utf8')).toContain('ok/ok.test.ts')

  const merge = await runXtest(['merge', junit, '-o', path.join(tempDir(), 'merged.xml'), '--summary', '/dev/full'], { cwd })
  expectNoCrash(merge.stderr)
  expect(merge.exitCode, merge.stderr).toBe(3)
  expect(merge.stderr.trim()).toBe('xtest: cannot write /dev/full: no space left on device (ENOSPC)')
})

test('a read-only output folder: one line, exit 3, before any shard starts', async () => {
  const cwd = copyFixture('local-faults')
  unmounts.push(mountTmpfs(path.join(cwd, '.xtest'), { size: '64k', readOnly: true }))
  const run = await runXtest(['run', '--container', 'ok'], { cwd })
  expectNoCrash(run.stderr)
  expect(run.exitCode, run.stderr).toBe(3)
  expect(run.stderr.trim()).toBe(`xtest: the output folder .xtest: cannot write ${path.join(cwd, '.xtest')}: read-only file system (EROFS)`)
})

test("the run folder's disk fills up mid-run: the merged report lands at --junit, one grouped line, the run's exit code", async () => {
  const cwd = copyFixture('disk-full')
  unmounts.push(mountTmpfs(path.join(cwd, '.xtest'), { size: '200k' }))
  const junit = path.join(tempDir(), 'junit.xml')
  const run = await runXtest(['run', '--junit', junit], { cwd })
  expectNoCrash(run.stderr)
  expect(run.exitCode, run.stderr).toBe(1) // a test failed: 1 wins over the infrastructure's 3
  const lines = run.stderr.split('\n').filter((line) => line.includes('no space left on device'))
  expect(lines, run.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^xtest: cannot write .*\(ENOSPC\)/)
  expect(lines[0]).toContain('output.log')
  const xml = fs.readFileSync(junit, 'utf8')
  expect(xml).toContain('flood/flood.test.ts')
})
