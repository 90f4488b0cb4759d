// HTTP to the engine: unix socket or tcp (TLS when the endpoint has certificates), JSON in and out, the engine's
// errors as EngineError with their status.
import http from 'node:http'
import https from 'node:https'
import type { Readable } from 'node:stream'
import { createDebug } from '../core/debug.js'
import { EngineError } from '../core/errors.js'
import type { BuildEvent } from './engine-client.js'
import type { EngineEndpoint } from './engine-endpoint.js'

const debugDocker = createDebug('xtest:docker')

// A call that is not a stream gets no answer for this long: the connection is dropped, the call fails.
export const CALL_TIMEOUT_MS = 120_000

export interface Call {
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  body?: unknown
  /** A stream to send as the body (a build context). */
  upload?: NodeJS.ReadableStream
  headers?: Record<string, string>
  signal?: AbortSignal
  /** No idle timeout: the answer comes when a container ends, or never ends (output). */
  long?: boolean
  /** Idle timeout of this call instead of CALL_TIMEOUT_MS (a ping gives up in seconds, and leaves no socket open). */
  timeoutMs?: number
}

export class EngineTransport {
  constructor(
    private readonly target: Exclude<EngineEndpoint, { kind: 'ssh' }>,
    private readonly callTimeoutMs = CALL_TIMEOUT_MS,
  ) {}

  // A call with a JSON (or empty, or "OK") answer; an HTTP error becomes an EngineError with its status.
  async json<T>(call: Call): Promise<T> {
    const response = await this.send(call)
    const text = await readAll(response)
    return (text && response.headers['content-type']?.includes('json') ? JSON.parse(text) : text) as T
  }

  send(call: Call): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const request = this.open(call)
      request.on('response', (response) => {
        if ((response.statusCode ?? 500) < 400) resolve(response)
        else errorOf(response).then(reject, reject)
      })
      request.on('error', reject)
      if (call.upload) {
        const upload = call.upload
        upload.on('error', (error: Error) => request.destroy(error))
        // A dropped request stops reading the build context too.
        request.on('close', () => (upload as NodeJS.ReadableStream & { destroy?(): void }).destroy?.())
        upload.pipe(request)
      } else {
        request.end(call.body === undefined ? undefined : JSON.stringify(call.body))
      }
    })
  }

  open(call: Call): http.ClientRequest {
    const target = this.target
    debugDocker(`${target.url} ${call.method} ${call.path}`)
    const headers: Record<string, string> = { ...call.headers }
    if (call.body !== undefined) headers['Content-Type'] = 'application/json'
    const where = target.kind === 'unix' ? { socketPath: target.socketPath } : { host: target.host, port: target.port }
    const options: https.RequestOptions = { ...where, method: call.method, path: call.path, headers, signal: call.signal, agent: false }
    const request = target.kind === 'tcp' && target.tls ? https.request({ ...options, ...target.tls }) : http.request(options)
    const idleMs = call.timeoutMs ?? this.callTimeoutMs
    if (!call.long) request.setTimeout(idleMs, () => request.destroy(new Error(`no answer from ${this.target.url} in ${idleMs / 1000} s`)))
    return request
  }
}

export function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString()
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

// The engine says what went wrong as {"message": "..."}; keep its words, with the status for callers to test.
export async function errorOf(response: http.IncomingMessage): Promise<EngineError> {
  const text = await readAll(response).catch(() => '')
  let message = text.trim()
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message
  } catch {
    // not JSON: the text as it is
  }
  return new EngineError(`(HTTP ${response.statusCode}) ${message || response.statusMessage}`, response.statusCode)
}

// The build's progress: one JSON object per line, split across chunks however the engine likes.
/** The actions of an `/events` answer (`Action`, or `status` from older engines), in order. */
export async function readEventActions(stream: Readable): Promise<string[]> {
  const seen: string[] = []
  await readJsonLines(stream, (event) => {
    const { Action, status } = event as { Action?: unknown; status?: unknown }
    const action = typeof Action === 'string' ? Action : status
    if (typeof action === 'string') seen.push(action)
  })
  return seen
}

export async function readJsonLines(stream: Readable, onEvent: (event: BuildEvent) => void): Promise<void> {
  let pending = ''
  const emit = (line: string) => {
    if (!line.trim()) return
    try {
      onEvent(JSON.parse(line) as BuildEvent)
    } catch {
      onEvent({ stream: `${line}\n` })
    }
  }
  for await (const chunk of stream) {
    pending += (chunk as Buffer).toString('utf8')
    const lines = pending.split(/\r?\n/)
    pending = lines.pop()!
    lines.forEach(emit)
  }
  emit(pending)
}
