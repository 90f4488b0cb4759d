// Report paths that are not files, a full disk and a read-only output folder. Each ends
// in one line naming the file and the cause, the right exit code, the merged report wherever the disk allows, and
// never a stack trace or "internal error".
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, expect, test } from 'vitest'
import { cliPath, runXtest } from '../helpers/cli.js'
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

test('--junit, merge -o and merge --html at a device node: written in place; the device stays a device', async () => {
  const cwd = copyFixture('local-faults')
  const device = makeNullDevice(path.join(tempDir(), 'null'))
  const run = await runXtest(['run', '--container', 'ok', '--junit', device], { cwd })
  expect([0, 1], run.stderr).toContain(run.exitCode) // 1: the fixture's 4 s tier timed out on a busy machine
  expectNoCrash(run.stderr)
  expect(fs.statSync(device).isCharacterDevice()).toBe(true)

  const input = path.join(tempDir(), 'in.xml')
  fs.writeFileSync(input, '<testsuites><testsuite name="s" tests="1"><testcase classname="c" name="t"/></testsuite></testsuites>')
  const merge = await runXtest(['merge', input, '-o', device, '--html', device, '--summary', device], { cwd })
  expect(merge.exitCode, merge.stderr).toBe(0)
  expectNoCrash(merge.stderr)
  expect(fs.statSync(device).isCharacterDevice()).toBe(true)
})

test('--junit through a link to stdout redirected to a file: the file gets the report, the link stays a link', async () => {
  const cwd = copyFixture('local-faults')
  const dir = tempDir()
  // Our own /dev/stdout (a test must never risk the system's): a link to this process's fd 1.
  const stdoutLink = path.join(dir, 'stdout')
  fs.symlinkSync('/proc/self/fd/1', stdoutLink)
  const captured = path.join(dir, 'captured.txt')
  const fd = fs.openSync(captured, 'a') // as `>>`: xtest's own lines go after the report
  const child = spawn(process.execPath, [cliPath, 'run', '--container', 'ok', '--junit', stdoutLink], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
    stdio: ['ignore', fd, 'inherit'],
  })
  const exitCode = await new Promise((resolve) => child.once('exit', resolve))
  fs.closeSync(fd)
  expect([0, 1]).toContain(exitCode)
  expect(fs.lstatSync(stdoutLink).isSymbolicLink()).toBe(true)
  expect(fs.readlinkSync(stdoutLink)).toBe('/proc/self/fd/1')
  expect(fs.readFileSync(captured, 'utf8')).toContain('<testsuites')
})

test('report paths that are a folder, a socket or a link to a folder: exit 2 naming it, before any work; nothing replaced', async () => {
  const cwd = copyFixture('local-faults')
  const dir = tempDir()
  const run = await runXtest(['run', '--container', 'ok', '--junit', dir], { cwd })
  expect(run.exitCode).toBe(2)
  expect(run.stderr.trim()).toBe(`xtest: --junit ${dir}: a folder is not a file to write; give a file path`)
  const merge = await runXtest(['merge', path.join(cwd, 'nothing.xml'), '-o', dir], { cwd })
  expect(merge.exitCode).toBe(2)
  expect(merge.stderr.trim()).toBe(`xtest: -o ${dir}: a folder is not a file to write; give a file path`)
  const link = path.join(dir, 'to-folder')
  fs.symlinkSync(dir, link)
  for (const option of ['--html', '--summary', '--timings']) {
    const other = await runXtest(['merge', path.join(cwd, 'nothing.xml'), '-o', path.join(dir, 'm.xml'), option, link], { cwd })
    expect(other.exitCode, other.stderr).toBe(2)
    expect(other.stderr.trim()).toBe(`xtest: ${option} ${link}: a symbolic link to a folder is not a file to write; give a file path`)
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true)
  }
  const save = await runXtest(['plan', '--save', link], { cwd })
  expect(save.exitCode, save.stderr).toBe(2)
  expect(save.stderr.trim()).toBe(`xtest: --save ${link}: a symbolic link to a folder is not a file to write; give a file path`)
})

test('--summary at a FIFO nobody reads: one line, exit 3, no hang; the FIFO stays', async () => {
  const cwd = copyFixture('local-faults')
  const dir = tempDir()
  const fifo = path.join(dir, 'fifo')
  const { execa } = await import('execa')
  await execa('mkfifo', [fifo])
  const started = Date.now()
  const run = await runXtest(['run', '--container', 'ok', '--junit', path.join(dir, 'j.xml'), '--summary', fifo], { cwd, timeout: 60_000 })
  expect(run.exitCode, run.stderr).toBe(3)
  expect(run.stderr).toContain(`xtest: cannot write ${fifo}: nobody reads it (a FIFO without a reader) (ENXIO)`)
  expectNoCrash(run.stderr)
  expect(Date.now() - started).toBeLessThan(30_000)
  expect(fs.lstatSync(fifo).isFIFO()).toBe(true)
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

test('--failed FIFO and merge FIFO: refused with one line and exit 2 at once (they waited forever for a writer)', async () => {
  const cwd = copyFixture('local-faults')
  const fifo = path.join(tempDir(), 'report.xml')
  const { execa } = await import('execa')
  await execa('mkfifo', [fifo])
  const failed = await runXtest(['run', '--failed', fifo], { cwd, timeout: 30_000 })
  expect(failed.exitCode, failed.stderr).toBe(2)
  expect(failed.stderr.trim()).toBe(
    `xtest: --failed ${path.relative(cwd, fifo)}: not a usable JUnit report (unreadable): not a regular file`,
  )
  const merge = await runXtest(['merge', fifo, '-o', path.join(tempDir(), 'm.xml')], { cwd, timeout: 30_000 })
  expect(merge.exitCode, merge.stderr).toBe(2)
  expect(merge.stderr).toContain(`xtest: ${fifo}: not a usable JUnit report (unreadable): not a regular file`)
})
