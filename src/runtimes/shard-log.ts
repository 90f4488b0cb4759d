// A shard's output.log: written as output arrives, bounded in size and memory, kept for the report's excerpts.
import fs from 'node:fs'
import nodePath from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { openFreshAppend } from '../core/safe-fs.js'
import { noteWriteFault } from '../shared/write-faults.js'

export interface ShardLogOptions {
  /** Bytes kept from the start of the log. @default 50 MiB */
  headBytes?: number
  /** Bytes kept from the end once the head is full (a ring). @default 1 MiB */
  tailBytes?: number
  /** Longest line written; longer lines are cut with a marker. @default 64 KiB */
  maxLineBytes?: number
  now?: () => Date
}

// A flood arrives as 64 KiB chunks held outside V8's heap until a collection frees them, and V8 collects
// lazily: a 1 GiB flood from a container peaked at ~150 MB. A collection every 8 MiB of output keeps xtest
// near 115 MB for about 1 s more per GiB.
const COLLECT_EVERY_BYTES = 8 * 1024 * 1024
// NOTE: V8's --expose-gc is switched on only when a log first passes the threshold, never when this module loads.
let gc: (() => void) | undefined | null = null
const collectGarbage = (): void => {
  if (gc === null) gc = exposeGc()
  gc?.()
}
function exposeGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc')
    return vm.runInNewContext('gc') as () => void
  } catch {
    return undefined
  }
}

const NEWLINE = Buffer.from('\n')
const CUT_SUFFIX = Buffer.from(' [xtest: line cut]\n')

/**
 * A shard's output.log: every line prefixed with a timestamp and its stream, written as it
 * arrives. Memory stays bounded whatever the shard prints: a partial line is capped, the file
 * keeps a head, then a marker, then the last `tailBytes` (written on close).
 */
export class ShardLog {
  private readonly fd: number
  private readonly head: number
  private readonly tailSize: number
  private readonly maxLine: number
  private readonly now: () => Date
  private written = 0
  // A full disk costs the log, never the shard or the run: the first failed write ends writing (and is reported).
  private broken = false
  // The tail is a fixed ring: past the head, a flood of output allocates nothing that outlives a line.
  private ring: Buffer | undefined
  private ringPos = 0
  private ringBytes = 0
  private sinceCollect = 0
  private partial: Record<string, { chunks: Buffer[]; length: number; cut: boolean }> = {}

  constructor(
    readonly path: string,
    options: ShardLogOptions = {},
  ) {
    fs.mkdirSync(nodePath.dirname(path), { recursive: true })
    this.fd = openFreshAppend(path) // never through a link planted in its place
    this.head = options.headBytes ?? 50 * 1024 * 1024
    this.tailSize = options.tailBytes ?? 1024 * 1024
    this.maxLine = options.maxLineBytes ?? 64 * 1024
    this.now = options.now ?? (() => new Date())
  }

  /** Feeds raw bytes of one stream; complete lines are written at once. */
  write(stream: 'out' | 'err' | 'xtest', data: Buffer | string): void {
    let buf = typeof data === 'string' ? Buffer.from(data) : data
    this.sinceCollect += buf.length
    if (this.sinceCollect > COLLECT_EVERY_BYTES) {
      this.sinceCollect = 0
      collectGarbage()
    }
    const state = (this.partial[stream] ??= { chunks: [], length: 0, cut: false })
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10)) {
      this.append(state, buf.subarray(0, nl))
      this.emit(stream, state)
      buf = buf.subarray(nl + 1)
    }
    if (buf.length > 0) this.append(state, buf)
  }

  /** A line of xtest's own (start, stop, cause). */
  note(line: string): void {
    this.write('xtest', `${line}\n`)
  }

  close(): void {
    for (const [stream, state] of Object.entries(this.partial)) if (state.length > 0 || state.cut) this.emit(stream, state)
    const kept = Math.min(this.ringBytes, this.tailSize)
    const dropped = this.ringBytes - kept
    if (dropped > 0) this.put(`\n[xtest] output.log capped: ${dropped} bytes left out here; the last ${kept} bytes follow\n\n`)
    if (this.ring && kept > 0) {
      if (this.ringBytes > this.tailSize) this.put(this.ring.subarray(this.ringPos))
      this.put(this.ring.subarray(0, this.ringPos))
    }
    this.ring = undefined
    try {
      fs.closeSync(this.fd)
    } catch (error) {
      noteWriteFault(this.path, error)
    }
  }

  private put(data: string | Buffer): void {
    if (this.broken) return
    try {
      fs.writeSync(this.fd, typeof data === 'string' ? Buffer.from(data) : data)
    } catch (error) {
      this.broken = true
      noteWriteFault(this.path, error)
    }
  }

  private append(state: { chunks: Buffer[]; length: number; cut: boolean }, bytes: Buffer): void {
    const room = this.maxLine - state.length
    if (room <= 0) {
      state.cut = true
      return
    }
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes
    if (kept.length < bytes.length) state.cut = true
    state.chunks.push(kept)
    state.length += kept.length
  }

  private emit(stream: string, state: { chunks: Buffer[]; length: number; cut: boolean }): void {
    const pieces = [Buffer.from(`${this.now().toISOString()} ${stream} `), ...state.chunks, state.cut ? CUT_SUFFIX : NEWLINE]
    const size = pieces.reduce((n, piece) => n + piece.length, 0)
    state.chunks = []
    state.length = 0
    state.cut = false
    if (this.written + size <= this.head) {
      this.put(Buffer.concat(pieces, size))
      this.written += size
      return
    }
    for (const piece of pieces) this.toRing(piece)
  }

  private toRing(bytes: Buffer): void {
    const ring = (this.ring ??= Buffer.alloc(this.tailSize))
    let from = bytes.length > ring.length ? bytes.length - ring.length : 0
    this.ringBytes += from
    while (from < bytes.length) {
      const n = bytes.copy(ring, this.ringPos, from)
      from += n
      this.ringBytes += n
      this.ringPos = (this.ringPos + n) % ring.length
    }
  }
}
