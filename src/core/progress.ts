// progress.ndjson is the one protocol between a shard's reporter (vitest/progress-log.ts writes it) and the host (the
// live view follows it, the report salvages from it, a timeout names the running tests from it): its events, the line
// parser, the limits and the one reader are defined here. The shard writes the file: it is untrusted data. The reader
// opens it without following a link or blocking on a FIFO, reads only a regular file, in chunks, under caps in bytes,
// lines and line length, and each line counts only when it has a known event's shape.
import fs from 'node:fs'
import path from 'node:path'
import { sanitizeText } from './xml-text.js'

export const PROGRESS_FILE = 'progress.ndjson'

/** A finished shard's copy in its run folder, beside its junit.xml. */
export const progressBeside = (junitPath: string): string => path.join(path.dirname(junitPath), PROGRESS_FILE)

export type TestState = 'passed' | 'failed' | 'skipped'

export type ProgressEvent =
  | { event: 'run-start'; files: number }
  | { event: 'collected'; file: string; tests: number }
  | { event: 'test-start'; file: string; name: string }
  | { event: 'test'; file: string; name: string; state: TestState }
  | { event: 'done'; file: string; state: string }
  | { event: 'run-end'; reason: string }

/** An event as read back: the writer stamps each with the shard's clock (ISO). */
export type ReadEvent = ProgressEvent & { time?: string }

/** Bytes per read and over the file's life, lines parsed, bytes of a line (longer: dropped), of a name or a state. */
export type ProgressLimits = Record<'chunkBytes' | 'maxBytes' | 'maxLines' | 'maxLineBytes' | 'maxTextBytes', number>

export const PROGRESS_LIMITS: ProgressLimits = {
  chunkBytes: 1 << 20,
  maxBytes: 16 << 20,
  maxLines: 200_000,
  maxLineBytes: 64 << 10,
  maxTextBytes: 4096,
}

const STATES: ReadonlySet<string> = new Set(['passed', 'failed', 'skipped'])
const count = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0

/** One line → its event, or undefined when it is not a known event's shape. Names and states are sanitized. */
function parseProgressLine(line: string, maxTextBytes = PROGRESS_LIMITS.maxTextBytes): ReadEvent | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const { event, file, name, state, tests, files, reason, time } = value as Record<string, unknown>
  const text = (of: unknown) => sanitizeText(String(of), maxTextBytes)
  const named = typeof file === 'string' && typeof name === 'string'
  let parsed: ProgressEvent | undefined
  if (event === 'run-start' && count(files)) parsed = { event, files }
  else if (event === 'run-end' && typeof reason === 'string') parsed = { event, reason: text(reason) }
  else if (event === 'collected' && typeof file === 'string' && count(tests)) parsed = { event, file, tests }
  else if (event === 'test-start' && named) parsed = { event, file, name: text(name) }
  else if (event === 'test' && named && typeof state === 'string' && STATES.has(state))
    parsed = { event, file, name: text(name), state: state as TestState }
  else if (event === 'done' && typeof file === 'string' && typeof state === 'string')
    parsed = { event, file, state: sanitizeText(state, 64) }
  return parsed && typeof time === 'string' ? { ...parsed, time: sanitizeText(time, 64) } : parsed
}

/** Splits appended text into events; lines over the caps are dropped, blank lines skipped, the rest counted bad. */
export class ProgressParser {
  /** Lines that were not a known event. */
  bad = 0
  /** Set once the line cap is reached: the rest is ignored. */
  problem: string | undefined
  private lines = 0
  private pending = ''
  private dropping = false

  constructor(private readonly limits: ProgressLimits = PROGRESS_LIMITS) {}

  push(text: string): ReadEvent[] {
    const lines = (this.pending + text).split('\n')
    this.pending = lines.pop() ?? ''
    const events: ReadEvent[] = []
    for (const line of lines) {
      if (this.problem !== undefined) break
      if (this.dropping) {
        this.dropping = false
        continue
      }
      if (line.trim() === '') continue
      if (++this.lines > this.limits.maxLines) {
        this.problem = `${PROGRESS_FILE} has more than ${this.limits.maxLines} lines; the rest were ignored`
        break
      }
      const event = line.length > this.limits.maxLineBytes ? undefined : parseProgressLine(line, this.limits.maxTextBytes)
      if (event) events.push(event)
      else this.bad++
    }
    // NOTE: a multi-byte character cut by a chunk boundary only garbles a line that is then counted bad.
    if (this.pending.length > this.limits.maxLineBytes) {
      if (!this.dropping) this.bad++
      this.pending = ''
      this.dropping = true
    }
    return events
  }
}

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants

/** Follows one progress file as it grows (the live view) or reads it whole (`drain`, after the shard); never throws. */
export class ProgressReader {
  private parser: ProgressParser
  private offset = 0
  private identity = ''
  private refused: string | undefined

  constructor(
    private file: string,
    private readonly limits: ProgressLimits = PROGRESS_LIMITS,
  ) {
    this.parser = new ProgressParser(limits)
  }

  /** Why the file is not, or no longer, read (a link, not a regular file, over a cap). */
  get problem(): string | undefined {
    return this.refused ?? this.parser.problem
  }

  /** Lines that were not a known event. */
  get bad(): number {
    return this.parser.bad
  }

  /** The events appended since the last read; `fromStart` when the file was replaced or cut and is read again. */
  read(): { events: ReadEvent[]; fromStart: boolean } {
    const none = { events: [], fromStart: false }
    if (this.problem !== undefined) return none
    let fd: number
    try {
      fd = fs.openSync(this.file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ELOOP') this.refused = `${PROGRESS_FILE} is a symbolic link; ignored`
      else if (code !== 'ENOENT') this.refused = `${PROGRESS_FILE} could not be opened (${code ?? 'error'}); ignored`
      return none
    }
    try {
      const stat = fs.fstatSync(fd)
      if (!stat.isFile()) {
        this.refused = `${PROGRESS_FILE} is not a regular file (a FIFO, device or folder); ignored`
        return none
      }
      const identity = `${stat.dev}:${stat.ino}`
      if (this.identity === MOVED && stat.size >= this.offset) this.identity = identity
      const fromStart = this.identity !== '' && (identity !== this.identity || stat.size < this.offset)
      if (identity !== this.identity || stat.size < this.offset) {
        this.identity = identity
        this.offset = 0
        this.parser = new ProgressParser(this.limits)
      }
      const wanted = Math.min(stat.size - this.offset, this.limits.chunkBytes, this.limits.maxBytes - this.offset)
      if (wanted <= 0) {
        if (stat.size > this.offset) this.refused = `${PROGRESS_FILE} is larger than ${this.limits.maxBytes} bytes; only its start was read`
        return { events: [], fromStart }
      }
      const buffer = Buffer.alloc(wanted)
      const read = fs.readSync(fd, buffer, 0, wanted, this.offset)
      this.offset += read
      return { events: this.parser.push(buffer.subarray(0, read).toString('utf8')), fromStart }
    } catch {
      return none // unreadable for now: tried again at the next read
    } finally {
      fs.closeSync(fd)
    }
  }

  /** Reads until the whole file (up to the caps) is read: a finished shard's copy. */
  drain(): ReadEvent[] {
    return this.rest().events
  }

  /** The events up to the file's end (up to the caps); `fromStart` when it was read again from its start on the way. */
  rest(): { events: ReadEvent[]; fromStart: boolean } {
    let events: ReadEvent[] = []
    let fromStart = false
    for (let before = -1; before !== this.offset && this.problem === undefined; ) {
      before = this.offset
      const read = this.read()
      if (read.fromStart) [events, fromStart] = [[], true]
      events.push(...read.events)
    }
    return { events, fromStart }
  }

  /**
   * Goes on in `file`, the copy of this file taken when its shard ended: the same bytes and maybe more, so reading
   * resumes where it stopped instead of parsing the whole log again. A copy shorter than what was read is read from
   * its start (`fromStart`).
   */
  moveTo(file: string): void {
    this.file = file
    if (this.identity !== '') this.identity = MOVED
  }
}

const MOVED = 'moved'
