import fs from 'node:fs'
import nodePath from 'node:path'

export interface ShardLogOptions {
  /** Bytes kept from the start of the log. @default 50 MiB */
  headBytes?: number
  /** Bytes kept from the end once the head is full (a ring). @default 1 MiB */
  tailBytes?: number
  /** Longest line written; longer lines are cut with a marker. @default 64 KiB */
  maxLineBytes?: number
  now?: () => Date
}

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
  private dropped = 0
  private tail: Buffer[] = []
  private tailLength = 0
  private partial: Record<string, { chunks: Buffer[]; length: number; cut: boolean }> = {}

  constructor(readonly path: string, options: ShardLogOptions = {}) {
    fs.mkdirSync(nodePath.dirname(path), { recursive: true })
    this.fd = fs.openSync(path, 'a')
    this.head = options.headBytes ?? 50 * 1024 * 1024
    this.tailSize = options.tailBytes ?? 1024 * 1024
    this.maxLine = options.maxLineBytes ?? 64 * 1024
    this.now = options.now ?? (() => new Date())
  }

  /** Feeds raw bytes of one stream; complete lines are written at once. */
  write(stream: 'out' | 'err' | 'xtest', data: Buffer | string): void {
    let buf = typeof data === 'string' ? Buffer.from(data) : data
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
    if (this.dropped > 0) {
      fs.writeSync(this.fd, `\n[xtest] output.log capped: ${this.dropped} bytes left out here; the last ${this.tailLength} bytes follow\n\n`)
    }
    for (const chunk of this.tail) fs.writeSync(this.fd, chunk)
    this.tail = []
    fs.closeSync(this.fd)
  }

  private append(state: { chunks: Buffer[]; length: number; cut: boolean }, bytes: Buffer): void {
    const room = this.maxLine - state.length
    if (room <= 0) { state.cut = true; return }
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes
    if (kept.length < bytes.length) state.cut = true
    state.chunks.push(Buffer.from(kept))
    state.length += kept.length
  }

  private emit(stream: string, state: { chunks: Buffer[]; length: number; cut: boolean }): void {
    const suffix = state.cut ? ' [xtest: line cut]' : ''
    const line = Buffer.concat([Buffer.from(`${this.now().toISOString()} ${stream} `), ...state.chunks, Buffer.from(`${suffix}\n`)])
    state.chunks = []
    state.length = 0
    state.cut = false
    if (this.written + line.length <= this.head) {
      fs.writeSync(this.fd, line)
      this.written += line.length
      return
    }
    this.tail.push(line)
    this.tailLength += line.length
    while (this.tailLength > this.tailSize && this.tail.length > 1) {
      const old = this.tail.shift()!
      this.tailLength -= old.length
      this.dropped += old.length
    }
  }
}
