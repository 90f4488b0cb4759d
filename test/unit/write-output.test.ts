import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, expect, test } from 'vitest'
import { outputWayOf, writeOutput } from '../../src/shared/write-output.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-write-output-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const later = Date.now() + 60_000 // links made in this test count as older than "xtest started"

test('a new file is created with its folder; a regular file is replaced by a rename (new inode, same mode)', async () => {
  const file = path.join(dir, 'a/b/report.xml')
  await writeOutput(file, 'one')
  expect(fs.readFileSync(file, 'utf8')).toBe('one')
  fs.chmodSync(file, 0o600)
  const before = fs.statSync(file).ino
  await writeOutput(file, ['t', 'wo'])
  expect(fs.readFileSync(file, 'utf8')).toBe('two')
  expect(fs.statSync(file).ino).not.toBe(before)
  expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  expect(fs.readdirSync(path.dirname(file))).toEqual(['report.xml'])
  await writeOutput(file, '+3', { append: true })
  expect(fs.readFileSync(file, 'utf8')).toBe('two+3')
})

test('a link to a regular file is written through and stays a link; a link to a folder or nothing is refused', async () => {
  const target = path.join(dir, 'target.xml')
  fs.writeFileSync(target, 'old content that is longer')
  const link = path.join(dir, 'link.xml')
  fs.symlinkSync(target, link)
  expect(outputWayOf(link, later)).toBe('in-place')
  await writeOutput(link, 'new', { linksBefore: later })
  expect(fs.lstatSync(link).isSymbolicLink()).toBe(true)
  expect(fs.readFileSync(target, 'utf8')).toBe('new')
  fs.symlinkSync(dir, path.join(dir, 'to-dir'))
  await expect(writeOutput(path.join(dir, 'to-dir'), 'x', { linksBefore: later })).rejects.toMatchObject({ code: 'EISDIR' })
  fs.symlinkSync(path.join(dir, 'nothing'), path.join(dir, 'dangling'))
  await expect(writeOutput(path.join(dir, 'dangling'), 'x', { linksBefore: later })).rejects.toMatchObject({ code: 'ENOENT' })
  expect(fs.existsSync(path.join(dir, 'nothing'))).toBe(false)
  expect(fs.lstatSync(path.join(dir, 'dangling')).isSymbolicLink()).toBe(true)
})

test('a link made after xtest started (planted by a test) is not followed, nor replaced', async () => {
  const target = path.join(dir, 'victim')
  fs.writeFileSync(target, 'keep')
  const link = path.join(dir, 'planted.xml')
  fs.symlinkSync(target, link)
  await expect(writeOutput(link, 'x')).rejects.toMatchObject({
    code: 'ELOOP',
    reason: 'a symbolic link made while xtest ran is not followed',
  })
  expect(fs.readFileSync(target, 'utf8')).toBe('keep')
  expect(fs.lstatSync(link).isSymbolicLink()).toBe(true)
})

test('a folder or a socket is refused; a character device is written in place and stays a device', async () => {
  await expect(writeOutput(dir, 'x')).rejects.toMatchObject({ code: 'EISDIR' })
  expect(outputWayOf('/dev/null')).toBe('stream')
  await writeOutput('/dev/null', 'x'.repeat(3 << 20))
  expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true)
  const socketPath = path.join(dir, 'sock')
  const { createServer } = await import('node:net')
  const server = createServer().listen(socketPath)
  await new Promise((resolve) => server.once('listening', resolve))
  await expect(writeOutput(socketPath, 'x')).rejects.toMatchObject({ code: 'EINVAL', reason: 'a socket is not a file to write' })
  server.close()
})

test('a FIFO: refused at once without a reader, written in place with one (no hang either way)', async () => {
  const fifo = path.join(dir, 'fifo')
  await execa('mkfifo', [fifo])
  const started = Date.now()
  await expect(writeOutput(fifo, 'x')).rejects.toMatchObject({ code: 'ENXIO' })
  expect(Date.now() - started).toBeLessThan(1000)
  const reader = execa('cat', [fifo])
  // cat opens the FIFO soon after it starts: retry until a reader is there.
  for (let i = 0; ; i++) {
    try {
      await writeOutput(fifo, 'y'.repeat(1 << 20))
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO' || i > 200) throw error
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
  expect(fs.lstatSync(fifo).isFIFO()).toBe(true)
  expect((await reader).stdout.length).toBe(1 << 20)
})
