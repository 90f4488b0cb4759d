// The last lines of a shard's output.log, read backwards in chunks: a 1 GB log costs at most `maxBytes` of memory.
import { type FileHandle, open } from 'node:fs/promises'

export interface LogTail {
  /** The tail, decoded as UTF-8 (a cut multi-byte character at the start is dropped). */
  text: string
  /** Lines returned (the last one may lack its newline). */
  lines: number
  /** True when the log holds more than what is returned. */
  partial: boolean
}

const CHUNK = 64 * 1024
const NEWLINE = 0x0a

/** Reads at most the last `lines` lines and `maxBytes` bytes of `path`; undefined if the file cannot be read. */
export async function readLogTail(path: string, lines: number, maxBytes: number): Promise<LogTail | undefined> {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch {
    return undefined
  }
  try {
    const size = (await handle.stat()).size
    const chunks: Buffer[] = []
    let position = size
    let newlines = 0
    let read = 0
    // A newline that ends the file ends the last line; it does not start a new one.
    let skipFinal = true
    while (position > 0 && read < maxBytes && newlines <= lines) {
      const length = Math.min(CHUNK, position, maxBytes - read)
      position -= length
      const chunk = Buffer.alloc(length)
      await handle.read(chunk, 0, length, position)
      for (let index = length - 1; index >= 0; index--) {
        if (chunk[index] !== NEWLINE) continue
        if (skipFinal && position + index === size - 1) continue
        newlines++
      }
      skipFinal = false
      chunks.unshift(chunk)
      read += length
    }
    let bytes = Buffer.concat(chunks)
    let partial = position > 0
    let cutAt = 0
    // Drop whole lines beyond `lines`, counting newlines from the end.
    for (let index = bytes.length - 1, seen = 0; index >= 0; index--) {
      if (bytes[index] !== NEWLINE || position + index === size - 1) continue
      if (++seen === lines) {
        cutAt = index + 1
        partial = true
        break
      }
    }
    bytes = bytes.subarray(cutAt)
    while (bytes.length > 0 && ((bytes[0] ?? 0) & 0xc0) === 0x80) bytes = bytes.subarray(1)
    const text = bytes.toString('utf8')
    const count = text === '' ? 0 : text.replace(/\n$/, '').split('\n').length
    return { text, lines: count, partial }
  } finally {
    await handle.close()
  }
}
