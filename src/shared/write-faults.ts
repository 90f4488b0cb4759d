// Files xtest could not write during a run (a full disk, a read-only folder). The writer goes on without them, notes
// the fault here, and the end of the run says so in one line per cause and exits 3 if nothing worse happened.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Stats } from 'node:fs'
import path from 'node:path'

export interface WriteFault {
  file: string
  cause: string
}

// Per run: two run() calls of one process each take only their own faults (a run's async work carries its scope).
const scope = new AsyncLocalStorage<Map<string, string>>()
const outsideRuns = new Map<string, string>()
const current = (): Map<string, string> => scope.getStore() ?? outsideRuns

let runsActive = 0

/**
 * Runs `work` with its own fault list: what it notes, only it takes. A run that starts alone notes into the
 * process-wide list; only one that overlaps another gets a scope, since an AsyncLocalStorage in use slows every
 * promise of the process (a cached `xtest run` took 5 % longer with one).
 */
export async function withWriteFaults<T>(work: () => Promise<T>): Promise<T> {
  const alone = runsActive++ === 0
  try {
    return await (alone ? work() : scope.run(new Map(), work))
  } finally {
    runsActive--
  }
}

/** "no space left on device (ENOSPC)" from a Node fs error; the message's first line otherwise. */
export function describeFsError(error: unknown): string {
  const err = error as NodeJS.ErrnoException
  if (err && typeof err.code === 'string' && typeof err.message === 'string') {
    const match = /^[A-Z]+: ([^,]+)/.exec(err.message)
    if (match && err.syscall) return `${match[1]} (${err.code})`
  }
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!
}

/** Whether an error is the file system refusing a write (as opposed to a bug). */
export function isFsError(error: unknown): error is NodeJS.ErrnoException {
  const err = error as NodeJS.ErrnoException
  return Boolean(err && typeof err.code === 'string' && typeof err.syscall === 'string' && /^E[A-Z0-9]+$/.test(err.code))
}

/** Notes that `file` could not be written; the first cause per file is kept. */
export function noteWriteFault(file: string, error: unknown): void {
  const faults = current()
  if (!faults.has(file)) faults.set(file, describeFsError(error))
}

/** The faults noted so far, and forgets them. */
export function takeWriteFaults(): WriteFault[] {
  const faults = current()
  const list = [...faults].map(([file, cause]) => ({ file, cause }))
  faults.clear()
  return list
}

/** One line per cause: `cannot write FILE: CAUSE`, or with a count and the first few files. */
export function formatWriteFaults(list: readonly WriteFault[], cwd = process.cwd()): string[] {
  const byCause = new Map<string, string[]>()
  const show = (file: string) => {
    const relative = path.relative(cwd, file)
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file
  }
  for (const { file, cause } of list) byCause.set(cause, [...(byCause.get(cause) ?? []), show(file)])
  return [...byCause].map(([cause, files]) =>
    files.length === 1
      ? `cannot write ${files[0]}: ${cause}`
      : `cannot write ${files.length} files: ${cause}: ${files.slice(0, 3).join(', ')}${files.length > 3 ? `, and ${files.length - 3} more` : ''}`,
  )
}

/** 'a folder', 'a character device', ...: what a path is when it should be a regular file. */
export function describeFileKind(entry: Stats): string {
  if (entry.isDirectory()) return 'a folder'
  if (entry.isCharacterDevice()) return 'a character device'
  if (entry.isBlockDevice()) return 'a block device'
  if (entry.isFIFO()) return 'a FIFO'
  if (entry.isSocket()) return 'a socket'
  if (entry.isFile()) return 'a file'
  return 'not a regular file'
}
