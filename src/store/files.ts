// The one way the store (everything under `.xtest/` and the cache folder) touches the disk, since test code may have
// written there: reads are bounded and refuse links, FIFOs and devices (core/safe-fs.ts), writes are whole (a fresh temp
// file renamed over the target, in a folder made on demand), and a read-merge-write holds a lock file.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fail, ok, type Result } from '../core/result.js'
import { readRegularFile, writeFreshFile } from '../core/safe-fs.js'
import { outputWayOf } from '../shared/write-output.js'

/**
 * A stored file's text; undefined when it is missing. A link, FIFO, device or a file over `maxBytes` is a failure
 * saying so. `userNamed` (a --timings FILE): a link the user made is read where it points, as write-output.ts writes it.
 */
export function readStored(file: string, maxBytes: number, userNamed = false): Result<string | undefined> {
  let target = file
  try {
    if (userNamed && outputWayOf(file) === 'in-place') target = fs.realpathSync(file)
  } catch (error) {
    return fail((error as { reason?: string }).reason ?? (error as Error).message)
  }
  const read = readRegularFile(target, maxBytes)
  if (read.ok) return ok(read.value.toString('utf8'))
  return read.kind === 'missing' ? ok(undefined) : read
}

/** Writes a stored file whole: its folder made on demand, then a fresh temp file renamed over it (see core/safe-fs.ts). */
export function writeStored(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  writeFreshFile(file, data)
}

/** writeStored into a folder the caller made and checked already (the result cache writes hundreds of entries). */
export function writeInFolder(file: string, data: string | Uint8Array): void {
  writeFreshFile(file, data)
}

/** What is at `file`, never through a link; undefined when nothing is. */
export function lstatOf(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file)
  } catch {
    return undefined
  }
}

/** The first `bytes` of a regular file of this user, never through a link; undefined for anything else. */
export function headOfOwnFile(file: string, bytes: number): string | undefined {
  let fd: number
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK)
  } catch {
    return undefined
  }
  try {
    const stat = fs.fstatSync(fd)
    const uid = process.getuid?.()
    if (!stat.isFile() || (uid !== undefined && stat.uid !== uid)) return undefined
    const head = Buffer.alloc(bytes)
    return head.subarray(0, fs.readSync(fd, head, 0, bytes, 0)).toString('latin1')
  } catch {
    return undefined
  } finally {
    fs.closeSync(fd)
  }
}

/** Why a folder to keep files in is not used (a link, another user's, world-writable: files may be planted there). */
export function ownFolderProblem(dir: string): string | undefined {
  const stat = lstatOf(dir)
  if (stat === undefined) return undefined
  if (stat.isSymbolicLink()) return 'is a symbolic link'
  if (!stat.isDirectory()) return 'is not a folder'
  const uid = process.getuid?.()
  if (uid !== undefined && stat.uid !== uid) return `belongs to another user (uid ${stat.uid}, you are ${uid})`
  // (Windows reports every folder as writable by all: its ACLs are not modes.)
  if (process.platform !== 'win32' && (stat.mode & 0o002) !== 0) return 'is writable by every user'
  return undefined
}

/** The names in a folder; none when it is missing or cannot be read. */
export function namesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir)
  } catch {
    return []
  }
}

/** Removes a folder xtest made (rm unlinks a link inside, never follows it); an error is the reason, undefined when gone. */
export function removeTree(dir: string): string | undefined {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 })
    return undefined
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message
  }
}

export interface LockOptions {
  /** How long to wait for another writer's lock (then the work runs without it, with a warning). Default 10 s. */
  lockTimeoutMs?: number
  /** A lock older than this was left by a crashed writer and is taken over. Default 30 s. */
  staleLockMs?: number
}

/** Runs `work` (a read, merge and write of `file`) holding `<file>.lock`, created exclusively: two runs finishing at once both land. */
export async function underLock<T>(
  file: string,
  what: string,
  warn: (line: string) => void,
  options: LockOptions,
  work: () => T | Promise<T>,
): Promise<T> {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const lockFile = `${file}.lock`
  const token = `${process.pid} ${crypto.randomBytes(6).toString('hex')}`
  const deadline = Date.now() + (options.lockTimeoutMs ?? 10_000)
  let held = false
  for (let wait = 10; !held; wait = Math.min(wait * 2, 200)) {
    try {
      fs.writeFileSync(lockFile, token, { flag: 'wx' })
      held = true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') break
      if (Date.now() - (lstatOf(lockFile)?.mtimeMs ?? Date.now()) > (options.staleLockMs ?? 30_000)) fs.rmSync(lockFile, { force: true })
      else if (Date.now() >= deadline) break
      else await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * wait))
    }
  }
  if (!held) warn(`${lockFile} is held by another writer; ${what} without it`)
  try {
    return await work()
  } finally {
    // Only our own lock is removed: a writer that took over a stale lock must keep it.
    const now = held ? readStored(lockFile, 256) : undefined
    if (now?.ok && now.value === token) fs.rmSync(lockFile, { force: true })
  }
}

/** The real path of `p` when it lies inside `root` (it need not exist yet), else null. */
export function resolveInside(root: string, p: string): string | null {
  let existing = path.resolve(p)
  const rest: string[] = []
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
    rest.unshift(path.basename(existing))
    existing = path.dirname(existing)
  }
  const real = path.join(fs.realpathSync(existing), ...rest)
  const rel = path.relative(root, real)
  return rel.startsWith('..') || path.isAbsolute(rel) ? null : real
}
