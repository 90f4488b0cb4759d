// The one way xtest writes a path a user named (--junit, -o, --summary, --html, --timings FILE, plan --save, the
// step summary): what is there decides how, and nothing but a regular file is ever replaced.
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_APPEND, O_TRUNC } = fs.constants

/**
 * `new`/`file`: written to a temp file beside it, renamed over it (atomic). `in-place`: a link the user made to a
 * regular file, written through (the link stays). `stream`: a character device or FIFO (/dev/stdout, /dev/null, a
 * pipe), opened without blocking and written in place.
 */
export type OutputWay = 'new' | 'file' | 'in-place' | 'stream'

export type OutputData = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>

/** How long a reader (a FIFO, a pipe) may take no data before the write gives up. */
const STALL_MS = 30_000

// When this process started: a link that appeared after it was planted during the run (by test code), not named by the user.
const startedAtMs = Date.now() - process.uptime() * 1000

/** An fs-style error (code + syscall), so writers note it like a full disk: `describeFsError` gives `why (CODE)`. */
function refusal(file: string, why: string, code = 'EINVAL'): NodeJS.ErrnoException & { reason: string } {
  return Object.assign(new Error(`${code}: ${why}, open '${file}'`), { code, syscall: 'open', path: file, reason: why })
}

const kindOf = (entry: fs.Stats): string =>
  entry.isDirectory()
    ? 'a folder'
    : entry.isSocket()
      ? 'a socket'
      : entry.isBlockDevice()
        ? 'a block device'
        : entry.isCharacterDevice()
          ? 'a character device'
          : entry.isFIFO()
            ? 'a FIFO'
            : 'not a regular file'

/**
 * How `file` would be written, or throws a `refusal` saying why it will not be. `linksBefore`: a link is followed
 * only if it is older (ms since the epoch; default: when this process started).
 */
export function outputWayOf(file: string, linksBefore = startedAtMs): OutputWay {
  let entry: fs.Stats
  try {
    entry = fs.lstatSync(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'new'
    throw error
  }
  if (entry.isFile()) return 'file'
  if (entry.isCharacterDevice() || entry.isFIFO()) return 'stream'
  if (!entry.isSymbolicLink()) throw refusal(file, `${kindOf(entry)} is not a file to write`, entry.isDirectory() ? 'EISDIR' : 'EINVAL')
  let target: fs.Stats
  try {
    target = fs.statSync(file)
  } catch {
    throw refusal(file, 'a symbolic link to nothing', 'ENOENT')
  }
  if (!target.isFile() && !target.isCharacterDevice() && !target.isFIFO())
    throw refusal(file, `a symbolic link to ${kindOf(target)} is not a file to write`, target.isDirectory() ? 'EISDIR' : 'EINVAL')
  // A link is followed only if the user could have made it: theirs (or root's), and older than this xtest.
  const uid = process.geteuid?.() ?? 0
  if (entry.uid !== uid && entry.uid !== 0)
    throw refusal(file, `a symbolic link of another user (uid ${entry.uid}) is not followed`, 'ELOOP')
  if (entry.ctimeMs > linksBefore) throw refusal(file, 'a symbolic link made while xtest ran is not followed', 'ELOOP')
  return target.isFile() ? 'in-place' : 'stream'
}

/**
 * Writes `data` to `file` as the path's kind says (see OutputWay); `append` adds to a regular file instead (the
 * step summary). Creates the folder of a new file. Throws fs-style errors only (a refusal included).
 */
export async function writeOutput(file: string, data: OutputData, options: { append?: boolean; linksBefore?: number } = {}): Promise<void> {
  const way = outputWayOf(file, options.linksBefore)
  if (way === 'stream') return writeStream(file, data)
  if (way === 'in-place' || (way === 'file' && options.append)) {
    const fd = fs.openSync(file, O_WRONLY | O_NONBLOCK | (options.append ? O_APPEND : O_TRUNC) | (way === 'file' ? O_NOFOLLOW : 0))
    try {
      const now = fs.fstatSync(fd)
      if (!now.isFile()) throw refusal(file, `became ${kindOf(now)} while xtest ran`)
      await writeChunks(fd, data)
    } finally {
      fs.closeSync(fd)
    }
    return
  }
  const mode = way === 'file' ? fs.lstatSync(file).mode & 0o777 : 0o644
  if (way === 'new') fs.mkdirSync(path.dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`
  const fd = fs.openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode)
  try {
    await writeChunks(fd, data)
    fs.closeSync(fd)
    // Something else may have taken the name meanwhile (a link, a device): only a file or nothing is replaced.
    const again = outputWayOf(file, options.linksBefore)
    if (again !== 'new' && again !== 'file') throw refusal(file, 'stopped being a regular file while xtest wrote it')
    fs.renameSync(temp, file)
  } catch (error) {
    try {
      fs.closeSync(fd)
    } catch {
      /* closed already */
    }
    fs.rmSync(temp, { force: true })
    throw error
  }
}

// A character device or a FIFO: opened without blocking (a FIFO nobody reads is ENXIO, at once), written in place;
// a reader that stops taking data stalls the write for at most STALL_MS.
async function writeStream(file: string, data: OutputData): Promise<void> {
  let fd: number
  try {
    fd = fs.openSync(file, O_WRONLY | O_NONBLOCK | O_APPEND)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') throw refusal(file, 'nobody reads it (a FIFO without a reader)', 'ENXIO')
    throw error
  }
  try {
    await writeChunks(fd, data)
  } finally {
    fs.closeSync(fd)
  }
}

async function writeChunks(fd: number, data: OutputData): Promise<void> {
  const chunks = typeof data === 'string' || data instanceof Uint8Array ? [data] : data
  let pending: Buffer[] = []
  let size = 0
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    pending.push(bytes)
    size += bytes.length
    if (size >= 1 << 20) {
      await writeAll(fd, Buffer.concat(pending))
      pending = []
      size = 0
    }
  }
  await writeAll(fd, Buffer.concat(pending))
}

async function writeAll(fd: number, bytes: Buffer): Promise<void> {
  let offset = 0
  let lastProgress = Date.now()
  let wait = 1
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(fd, bytes, offset, bytes.length - offset)
      lastProgress = Date.now()
      wait = 1
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
      if (Date.now() - lastProgress > STALL_MS)
        throw Object.assign(new Error(`ETIMEDOUT: its reader took nothing for ${STALL_MS / 1000} s, write`), {
          code: 'ETIMEDOUT',
          syscall: 'write',
        })
      await sleep(wait)
      wait = Math.min(wait * 2, 100)
    }
  }
}
