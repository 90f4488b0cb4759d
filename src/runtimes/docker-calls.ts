// Bounded calls to the engine around one shard container: a hung or dead engine must not hang the run.

import type { Duplex, Readable } from 'node:stream'
import { withTimeout } from '../shared/with-timeout.js'
import type { EngineClient } from './engine-client.js'

// Engine calls before the container runs: at most 60 s each, and at once on abort.
export async function engineCall<T>(work: Promise<T>, what: string, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw new Error(`${what}: run interrupted`)
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error(`${what}: run interrupted`))
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await withTimeout(Promise.race([work, aborted]), 60_000, `${what} timed out after 60 s`)
  } finally {
    signal.removeEventListener('abort', onAbort!)
  }
}

// The engine may die or hang: never wait past the tier timeout (or an abort) plus a margin for the kill.
export async function waitBounded(engine: EngineClient, id: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  // Giving up also drops the engine's long-poll, so nothing keeps the process alive.
  const stopWaiting = new AbortController()
  let onAbort: (() => void) | undefined
  const giveUp = new Promise<never>((_, reject) => {
    const fail = (margin: number) => {
      timer = setTimeout(() => reject(new Error('the engine did not report the end of the container')), margin)
    }
    if (timeoutMs < Number.POSITIVE_INFINITY) timer = setTimeout(() => fail(20_000), timeoutMs)
    onAbort = () => {
      clearTimeout(timer)
      fail(10_000)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    await Promise.race([engine.waitContainer(id, stopWaiting.signal), giveUp])
  } finally {
    clearTimeout(timer)
    stopWaiting.abort()
    signal.removeEventListener('abort', onAbort!)
  }
}

// Attach before start so no early output is lost; `done` resolves when the stream ends (bounded wait). With `stdin`
// (`xtest exec`), it is piped in: a command that exits without reading it all breaks the pipe, which is its choice.
export async function attachOutput(engine: EngineClient, id: string, write: OnFrame, stdin?: Readable): Promise<{ done: Promise<void> }> {
  const stream = await engine.attachContainer(id, stdin && { stdin: true })
  stream.on('data', demuxFrames(write))
  const done = new Promise<void>((resolve) => {
    stream
      .on('end', resolve)
      .on('close', resolve)
      .on('error', () => resolve())
  })
  stdin?.pipe(stream as Duplex)
  return { done: withTimeout(done, 5_000, 'output stream did not end').catch(() => undefined) }
}

/** One payload of the engine's output stream: `kind` 1 is stdout, 2 stderr. */
export type OnFrame = (kind: number, payload: Buffer) => void

/**
 * Splits the engine's multiplexed stream (frames of an 8-byte header: stream 1 or 2, then a big-endian length)
 * into payloads, without copying them: a flood of output makes no garbage beyond its own chunks.
 */
export function demuxFrames(onPayload: OnFrame): (chunk: Buffer) => void {
  let header = Buffer.alloc(0)
  let kind = 1
  let remaining = 0
  return (chunk: Buffer) => {
    let at = 0
    while (at < chunk.length) {
      if (remaining > 0) {
        const end = Math.min(chunk.length, at + remaining)
        onPayload(kind, chunk.subarray(at, end))
        remaining -= end - at
        at = end
        continue
      }
      const need = 8 - header.length
      header = Buffer.concat([header, chunk.subarray(at, at + need)])
      at += Math.min(need, chunk.length - at)
      if (header.length < 8) return
      kind = header[0]!
      remaining = header.readUInt32BE(4)
      header = Buffer.alloc(0)
    }
  }
}
