// File access where a path may lie inside a folder that test code could write: never follow a link, never
// block on a FIFO, never read more than a cap, and write only through files created fresh (O_EXCL). writeFreshFile
// replaces xtest's own files (history, part timings, cache entries); a path a user names goes through
// shared/write-output.ts instead, which never replaces a link or a device.
import fs from 'node:fs'
import path from 'node:path'
import { fail, ok, type Result } from './result.js'

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = fs.constants

export type ReadOutcome = Result<Buffer, 'missing' | 'not-a-file' | 'too-large' | 'unreadable'>

/**
 * Reads `file` if it is a regular file of at most `maxBytes`. A symlink, FIFO, socket, device or folder is refused
 * without being opened for I/O (O_NOFOLLOW|O_NONBLOCK, then fstat on the open descriptor: no race with a swap).
 */
export function readRegularFile(file: string, maxBytes: number): ReadOutcome {
  let fd: number
  try {
    fd = fs.openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return fail(`${path.basename(file)} is missing`, 'missing')
    if (code === 'ELOOP') return fail(`${path.basename(file)} is a symbolic link`, 'not-a-file')
    return fail(`${path.basename(file)} cannot be opened (${code ?? 'error'})`, 'unreadable')
  }
  try {
    const stat = fs.fstatSync(fd)
    if (!stat.isFile()) return fail(`${path.basename(file)} is not a regular file`, 'not-a-file')
    if (stat.size > maxBytes) return fail(`${path.basename(file)} is ${stat.size} bytes, over the ${maxBytes}-byte limit`, 'too-large')
    // The file may still grow (a writer outside our control): read at most maxBytes + 1 to notice. Not zero-filled:
    // only the bytes read are returned (the cache reads every module of a run through here).
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, stat.size + 64 * 1024))
    let length = 0
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
      if (length > maxBytes) return fail(`${path.basename(file)} grew over the ${maxBytes}-byte limit`, 'too-large')
      if (length === buffer.length) break
    }
    return ok(buffer.subarray(0, length))
  } catch (error) {
    return fail(`${path.basename(file)} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'unreadable')
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Writes `file` whole: a fresh temp file beside it (O_CREAT|O_EXCL|O_NOFOLLOW, so nothing planted there is
 * followed or reused), then a rename over the target (which replaces a planted link instead of writing through it).
 */
export function writeFreshFile(file: string, data: string | Uint8Array, mode = 0o644): void {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`
  const fd = fs.openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode)
  try {
    fs.writeFileSync(fd, data)
  } catch (error) {
    fs.closeSync(fd)
    fs.rmSync(temp, { force: true })
    throw error
  }
  fs.closeSync(fd)
  try {
    fs.renameSync(temp, file)
  } catch (error) {
    fs.rmSync(temp, { force: true })
    throw error
  }
}

/** Opens `file` for appending, creating it; refuses to follow a link or to open anything but a regular file. */
export function openFreshAppend(file: string): number {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o644)
  if (!fs.fstatSync(fd).isFile()) {
    fs.closeSync(fd)
    throw new Error(`${file} is not a regular file`)
  }
  return fd
}
