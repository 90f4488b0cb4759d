// timings.json on disk: read (a corrupt file is only a warning) and updated after runs to balance the next.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { ResolvedConfig } from '../../config/resolve.js'
import { emptyTimings, mergeTimings, parseTimings, type TimingSample, type Timings } from '../timings.js'
import { writeOutput } from '../../shared/write-output.js'

/** `<outputDir>/timings.json` of a config. */
export function timingsPathOf(config: Pick<ResolvedConfig, 'root' | 'outputDir'>): string {
  return path.resolve(config.root, config.outputDir, 'timings.json')
}

/** Reads the timings; a missing file is empty, a corrupt one is empty plus a warning (never a crash). */
export function loadTimings(file: string, warn: (line: string) => void = () => {}): Timings {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      warn(`cannot read ${file} (${(error as Error).message}); balancing without timings`)
    return emptyTimings()
  }
  const parsed = parseTimings(text)
  if (parsed.ok) return parsed.value
  warn(`${file} is corrupt (${parsed.message}); ignoring it, the next run rewrites it`)
  return emptyTimings()
}

export interface RecordOptions {
  now?: Date
  warn?: (line: string) => void
  /** How long to wait for another writer's lock. Default 10 s. */
  lockTimeoutMs?: number
  /** A lock older than this was left by a crashed writer and is taken over. Default 30 s. */
  staleLockMs?: number
}

/**
 * Folds samples into the timings file: under a lock file (`timings.json.lock`, created exclusively), re-read,
 * merge, write a temp file and rename it over the old one. Readers never see a partial file; two runs finishing
 * at once both land. Without the lock (another writer stuck) it still re-reads, merges and renames. Returns what it
 * wrote (undefined without samples), so the caller needs no second read.
 */
export async function recordTimings(
  file: string,
  samples: readonly TimingSample[],
  options: RecordOptions = {},
): Promise<Timings | undefined> {
  if (samples.length === 0) return undefined
  const warn = options.warn ?? (() => {})
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const release = await acquireLock(`${file}.lock`, options.lockTimeoutMs ?? 10_000, options.staleLockMs ?? 30_000)
  if (!release) warn(`${file}.lock is held by another writer; recording timings without it`)
  try {
    const merged = mergeTimings(loadTimings(file, warn), samples, options.now ?? new Date())
    await writeOutput(file, `${JSON.stringify(merged, null, 1)}\n`)
    return merged
  } finally {
    release?.()
  }
}

/** A lock file taken exclusively; returns its release function, or undefined when it could not be had in time. */
export async function acquireLock(lockFile: string, timeoutMs: number, staleMs: number): Promise<(() => void) | undefined> {
  const token = `${process.pid} ${crypto.randomBytes(6).toString('hex')}`
  const deadline = Date.now() + timeoutMs
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    try {
      fs.writeFileSync(lockFile, token, { flag: 'wx' })
      return () => {
        // Only our own lock: a writer that took over a stale lock must keep it.
        try {
          if (fs.readFileSync(lockFile, 'utf8') === token) fs.rmSync(lockFile, { force: true })
        } catch {
          /* gone */
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined
    }
    if (isStale(lockFile, staleMs)) {
      fs.rmSync(lockFile, { force: true })
      continue
    }
    if (Date.now() >= deadline) return undefined
    await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * wait))
  }
}

function isStale(lockFile: string, staleMs: number): boolean {
  try {
    return Date.now() - fs.statSync(lockFile).mtimeMs > staleMs
  } catch {
    return false
  }
}
