// Reads a shard's progress.ndjson (written by xtest's reporter as tests finish), so that a shard that died before
// writing its JUnit keeps the results it did finish. The file is written by the shard's process: untrusted data.
// Opened without following links and without blocking (a FIFO would hang a plain open), read only if it is a regular
// file, capped in bytes and lines; each line is parsed on its own and only known shapes with string fields count.
import { constants } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { resolvePlannedFile } from './account.js'
import { sanitizeText } from '../core/xml-text.js'

export interface ProgressLimits {
  /** Bytes read at most; the rest of a larger file is ignored. */
  maxBytes: number
  /** Lines parsed at most. */
  maxLines: number
  /** Cap of a test name (UTF-8 bytes). */
  maxTextBytes: number
}

const DEFAULT_PROGRESS_LIMITS: ProgressLimits = { maxBytes: 16 * 1024 * 1024, maxLines: 200_000, maxTextBytes: 4096 }

type RecordedState = 'passed' | 'failed' | 'skipped'

export interface FileProgress {
  /** Tests of the shard's tier that Vitest collected in the file, when a `collected` event said so. */
  collected?: number
  /** Tests that finished, in the order they finished. */
  tests: Array<{ name: string; state: RecordedState }>
  /** The file's end state from its `done` event; absent while the file was still running. */
  done?: string
  /** Tests that started (`test-start`) and have no result yet: name → when it started (the shard's clock, ISO). */
  running?: Map<string, string>
}

export interface ProgressRecord {
  /** Planned file (relative to the config root) → what the progress log says about it. */
  files: Map<string, FileProgress>
  notes: string[]
}

const TEST_STATES: ReadonlySet<string> = new Set(['passed', 'failed', 'skipped'])
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** Reads at most `maxBytes` of `path`; undefined when it does not exist, a note when it is not a regular file. */
async function readCapped(path: string, maxBytes: number): Promise<{ bytes?: Buffer; note?: string }> {
  let handle: FileHandle
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return {}
    return {
      note:
        code === 'ELOOP'
          ? 'progress.ndjson is a symbolic link; ignored'
          : `progress.ndjson could not be opened (${code ?? 'error'}); ignored`,
    }
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) return { note: 'progress.ndjson is not a regular file (a FIFO, device or folder); ignored' }
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes))
    let filled = 0
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    const note = stat.size > maxBytes ? `progress.ndjson is larger than ${maxBytes} bytes; only its start was read` : undefined
    return note === undefined ? { bytes: buffer.subarray(0, filled) } : { bytes: buffer.subarray(0, filled), note }
  } finally {
    await handle.close()
  }
}

/** Parses progress lines into per-file records; events for files the shard was not given are ignored. */
export function parseProgress(input: string, plannedFiles: readonly string[], workdir: string, limits: ProgressLimits): ProgressRecord {
  const planned = new Set(plannedFiles)
  const files = new Map<string, FileProgress>()
  const notes: string[] = []
  let unknownFiles = 0
  let badLines = 0
  const lines = input.split('\n')
  if (lines.length > limits.maxLines) notes.push(`progress.ndjson has more than ${limits.maxLines} lines; the rest were ignored`)
  for (const line of lines.slice(0, limits.maxLines)) {
    if (line.trim() === '') continue
    let event: unknown
    try {
      event = JSON.parse(line)
    } catch {
      badLines++
      continue
    }
    if (!isRecord(event) || typeof event.event !== 'string') {
      badLines++
      continue
    }
    if (event.event === 'run-start' || event.event === 'run-end') continue
    const reported = text(event.file)
    const file = resolvePlannedFile(reported, planned, workdir)
    if (file === undefined) {
      if (reported !== undefined) unknownFiles++
      else badLines++
      continue
    }
    const progress = files.get(file) ?? { tests: [] }
    files.set(file, progress)
    if (event.event === 'collected' && typeof event.tests === 'number' && Number.isSafeInteger(event.tests) && event.tests >= 0) {
      progress.collected = event.tests
    } else if (
      event.event === 'test' &&
      typeof event.name === 'string' &&
      typeof event.state === 'string' &&
      TEST_STATES.has(event.state)
    ) {
      const name = sanitizeText(event.name, limits.maxTextBytes)
      progress.tests.push({ name, state: event.state as RecordedState })
      progress.running?.delete(name)
    } else if (event.event === 'test-start' && typeof event.name === 'string' && typeof event.time === 'string') {
      ;(progress.running ??= new Map()).set(sanitizeText(event.name, limits.maxTextBytes), event.time)
    } else if (event.event === 'done' && typeof event.state === 'string') {
      progress.done = sanitizeText(event.state, 64)
      progress.running?.clear()
    } else {
      badLines++
    }
  }
  if (badLines > 0) notes.push(`progress.ndjson: ${badLines} line(s) that are not a known event were ignored`)
  if (unknownFiles > 0) notes.push(`progress.ndjson: ${unknownFiles} event(s) name a file the shard was not given; ignored`)
  return { files, notes }
}

/** Reads and parses a progress log; an absent or unusable one gives no files (and a note when it was unusable). */
export async function readProgress(
  path: string,
  plannedFiles: readonly string[],
  workdir: string,
  limits = DEFAULT_PROGRESS_LIMITS,
): Promise<ProgressRecord> {
  const { bytes, note } = await readCapped(path, limits.maxBytes)
  const notes = note === undefined ? [] : [note]
  if (bytes === undefined) return { files: new Map(), notes }
  let input = bytes.toString('utf8')
  // A capped read may end inside a line: drop that partial line.
  if (note !== undefined && !input.endsWith('\n')) input = input.slice(0, input.lastIndexOf('\n') + 1)
  const record = parseProgress(input, plannedFiles, workdir, limits)
  return { files: record.files, notes: [...notes, ...record.notes] }
}
