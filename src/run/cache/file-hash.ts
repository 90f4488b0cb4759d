// Hashes repository files for the result cache without trusting them: a path is POSIX and relative to the repo,
// its folder's real path is exactly where the path says (no linked folder on the way), and the file itself is read
// with O_NOFOLLOW|O_NONBLOCK and must be a regular file. A link, a FIFO or a path outside the repo is no hash.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fail, ok, type Result } from '../../core/result.js'
import { readRegularFile } from '../../core/safe-fs.js'

export type FileHash = Result<{ hash: string }, 'missing' | 'refused'>

const MAX_FILE_BYTES = 64 * 1024 * 1024
/**
 * File times come from the kernel's coarse clock, up to a tick behind Date.now() (10 ms at the lowest common HZ, 100):
 * a write just after the run started may carry a time just before it. Changes this close count as during the run.
 */
const CLOCK_SLACK_MS = 10

export const sha256 = (data: string | Uint8Array): string => crypto.createHash('sha256').update(data).digest('hex')

/** A repository-relative POSIX path with no `..`, no empty or `.` segment, no NUL; null when it is anything else. */
export function cleanRepoPath(rel: string): string | null {
  if (rel === '' || rel.includes('\0') || rel.includes('\\') || rel.startsWith('/')) return null
  const segments = rel.split('/')
  return segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..') ? rel : null
}

/** One per run: each file is read once, whatever number of keys name it. */
export class RepoHasher {
  private readonly memo = new Map<string, FileHash>()
  /** With `changedAfter`: each hashed file as it was looked at after its read (what a later look compares with). */
  private readonly looks = new Map<string, fs.Stats>()
  /** Each folder's real path, looked up once per run as each file is read once (a module tree shares few folders). */
  private readonly realDirs = new Map<string, string | null>()
  private readonly realRoot: string

  /**
   * `changedAfter` (ms): refuse a file changed after then. Storing a run's results reads everything afresh with the
   * run's start here: a file edited while the run ran (content, or a time put back: ctime) may not be what it ran on.
   * `readWhileRunning`: a hasher with the same `changedAfter` that read files while the run ran (ResultCache.warm);
   * its hash of a file is taken only when a look now finds the file as it was then and unchanged since the start.
   */
  constructor(
    readonly repoRoot: string,
    readonly changedAfter?: number,
    private readonly readWhileRunning?: RepoHasher,
  ) {
    this.realRoot = fs.realpathSync(repoRoot)
  }

  /** Why a file or folder may not be what the run saw (changed after `changedAfter`), or undefined. */
  changedWhileRunning(rel: string, stat: fs.Stats): string | undefined {
    if (this.changedAfter === undefined) return undefined
    const changed = Math.max(stat.mtimeMs, stat.ctimeMs)
    return changed > this.changedAfter - CLOCK_SLACK_MS ? `${rel} changed while the run ran` : undefined
  }

  hash(rel: string): FileHash {
    let found = this.memo.get(rel)
    if (found === undefined) this.memo.set(rel, (found = this.read(rel)))
    return found
  }

  /** The absolute path of a repository path whose folders are no links; null when its folder does not exist. */
  locate(rel: string): Result<string | null> {
    const clean = cleanRepoPath(rel)
    if (clean === null) return fail(`${rel} is not a path inside the repository`)
    const wanted = path.join(this.realRoot, ...clean.split('/'))
    const realDir = this.realDir(path.dirname(wanted))
    if (realDir === null) return ok(null)
    return realDir === path.dirname(wanted) ? ok(wanted) : fail(`${rel} lies below a linked folder`)
  }

  private read(rel: string): FileHash {
    const where = this.locate(rel)
    if (!where.ok) return fail(where.message, 'refused')
    if (where.value === null) return fail(`${rel} is gone`, 'missing')
    const wanted = where.value
    const earlier = this.readEarlier(rel, wanted)
    if (earlier !== undefined) return earlier
    const read = readRegularFile(wanted, MAX_FILE_BYTES)
    if (!read.ok) return read.kind === 'missing' ? fail(`${rel} is gone`, 'missing') : fail(`${rel}: ${read.message}`, 'refused')
    // The times are looked at after the bytes were read, never before: a save between a look and the read would
    // otherwise store the new bytes' hash for a test that ran on the old ones. Unchanged since the run started, as
    // seen after the read, means the bytes read are the bytes the run saw.
    if (this.changedAfter !== undefined) {
      let stat: fs.Stats
      try {
        stat = fs.lstatSync(wanted)
      } catch {
        return fail(`${rel} is gone`, 'missing')
      }
      const changed = this.changedWhileRunning(rel, stat)
      if (changed !== undefined) return fail(changed, 'refused')
      this.looks.set(rel, stat)
    }
    return ok({ hash: sha256(read.value).slice(0, 32) })
  }

  // The hash read while the run ran, when the file is still the one read then and unchanged since the run started:
  // bytes read after the start, with no change from the start until this look, are the bytes the run saw. A file
  // that changed in between (its ctime moves with any write) is read afresh, and refused.
  private readEarlier(rel: string, wanted: string): FileHash | undefined {
    const then = this.readWhileRunning?.looks.get(rel)
    const hash = this.readWhileRunning?.memo.get(rel)
    if (then === undefined || hash === undefined || !hash.ok || this.changedAfter !== this.readWhileRunning!.changedAfter) return undefined
    let now: fs.Stats
    try {
      now = fs.lstatSync(wanted)
    } catch {
      return undefined
    }
    const same =
      now.isFile() &&
      now.dev === then.dev &&
      now.ino === then.ino &&
      now.size === then.size &&
      now.mtimeMs === then.mtimeMs &&
      now.ctimeMs === then.ctimeMs
    if (!same || this.changedWhileRunning(rel, now) !== undefined) return undefined
    this.looks.set(rel, now)
    return hash
  }

  private realDir(dir: string): string | null {
    let real = this.realDirs.get(dir)
    if (real === undefined) {
      try {
        real = fs.realpathSync(dir)
      } catch {
        real = null
      }
      this.realDirs.set(dir, real)
    }
    return real
  }
}
