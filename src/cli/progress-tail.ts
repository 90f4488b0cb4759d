// Follows a running shard's progress.ndjson. The file lives in the shard's exchange folder and the shard writes it:
// it is attacker-controlled. Every poll opens it without following a link and without blocking on a FIFO, checks
// on the open descriptor that it is a regular file, reads at most a chunk of new bytes, and never more than a cap
// in total; lines are capped too, and each is parsed as data (a line that is not a known event is skipped).
import fs from 'node:fs'

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants

export interface ProgressLimits {
  /** Bytes read per poll. */
  chunkBytes: number
  /** Bytes read over the file's life; past it the counts stop (the file copied at the end is capped the same). */
  maxBytes: number
  /** A longer line is dropped. */
  maxLineBytes: number
}

const DEFAULT_PROGRESS_LIMITS: ProgressLimits = { chunkBytes: 1024 * 1024, maxBytes: 16 * 1024 * 1024, maxLineBytes: 64 * 1024 }

/** What a shard has reported so far. */
export interface ShardProgress {
  /** Tests of its tier in the files collected so far. */
  total: number
  /** Files collected so far (a total counts every planned file once they all are). */
  filesCollected: number
  done: number
  failed: number
  skipped: number
  /** Why the file is not being read (a link, a FIFO, over the cap); the counts stay as they were. */
  refused?: string
}

export class ProgressTail {
  private offset = 0
  private identity = ''
  private pending = ''
  private dropping = false
  private readonly collected = new Map<string, number>()
  private state: ShardProgress = emptyProgress()

  constructor(
    private readonly file: string,
    private readonly limits: ProgressLimits = DEFAULT_PROGRESS_LIMITS,
  ) {}

  /** Reads what was appended since the last poll; never throws. */
  poll(): ShardProgress {
    if (this.state.refused !== undefined) return this.snapshot()
    let fd: number
    try {
      fd = fs.openSync(this.file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ELOOP') this.state.refused = 'progress.ndjson is a symbolic link'
      return this.snapshot()
    }
    try {
      const stat = fs.fstatSync(fd)
      if (!stat.isFile()) {
        this.state.refused = 'progress.ndjson is not a regular file'
        return this.snapshot()
      }
      // A file replaced or truncated since the last poll is read again from its start.
      const identity = `${stat.dev}:${stat.ino}`
      if (identity !== this.identity || stat.size < this.offset) this.restart(identity)
      const wanted = Math.min(stat.size - this.offset, this.limits.chunkBytes, this.limits.maxBytes - this.offset)
      if (wanted <= 0) {
        if (this.offset >= this.limits.maxBytes) this.state.refused = `progress.ndjson is over ${this.limits.maxBytes} bytes`
        return this.snapshot()
      }
      const buffer = Buffer.alloc(wanted)
      const read = fs.readSync(fd, buffer, 0, wanted, this.offset)
      this.offset += read
      this.consume(buffer.subarray(0, read).toString('utf8'))
    } catch {
      // Unreadable for now: try again at the next poll.
    } finally {
      fs.closeSync(fd)
    }
    return this.snapshot()
  }

  /** Polls until the whole file (up to the cap) is read: for a finished shard's copy. */
  drain(): ShardProgress {
    for (let before = -1; before !== this.offset && this.state.refused === undefined; ) {
      before = this.offset
      this.poll()
    }
    return this.snapshot()
  }

  private snapshot(): ShardProgress {
    return { ...this.state }
  }

  private restart(identity: string): void {
    this.identity = identity
    this.offset = 0
    this.pending = ''
    this.dropping = false
    this.collected.clear()
    this.state = emptyProgress()
  }

  private consume(text: string): void {
    const lines = (this.pending + text).split('\n')
    this.pending = lines.pop() ?? ''
    for (const line of lines) {
      if (this.dropping) {
        this.dropping = false
        continue
      }
      this.apply(line)
    }
    // NOTE: a multi-byte character cut by a chunk boundary only garbles a line that is then skipped.
    if (this.pending.length > this.limits.maxLineBytes) {
      this.pending = ''
      this.dropping = true
    }
  }

  private apply(line: string): void {
    if (line.length > this.limits.maxLineBytes || line.trim() === '') return
    let event: unknown
    try {
      event = JSON.parse(line)
    } catch {
      return
    }
    if (typeof event !== 'object' || event === null) return
    const { event: kind, file, tests, state } = event as Record<string, unknown>
    if (kind === 'collected' && typeof file === 'string' && typeof tests === 'number' && Number.isSafeInteger(tests) && tests >= 0) {
      this.state.total += tests - (this.collected.get(file) ?? 0)
      this.collected.set(file, tests)
      this.state.filesCollected = this.collected.size
    } else if (kind === 'test' && typeof state === 'string') {
      this.state.done++
      if (state === 'failed') this.state.failed++
      else if (state === 'skipped') this.state.skipped++
    }
  }
}

export const emptyProgress = (): ShardProgress => ({ total: 0, filesCollected: 0, done: 0, failed: 0, skipped: 0 })
