// The Docker Engine API over node:http (unix socket or tcp, with TLS): the shard path's client. It loads in
// about 2 ms where dockerode takes about 180 ms (ssh2, grpc, protobufjs), which one short shard would feel.
import http from 'node:http'
import https from 'node:https'
import type { Readable } from 'node:stream'
import type { BuildEvent, BuildOptions, ContainerCreateOptions, ContainerState, ContainerSummary, EngineClient } from './engine-client.js'
import { EngineError } from './engine-client.js'
import type { EngineEndpoint } from './engine-endpoint.js'

// A call that is not a stream gets no answer for this long: the connection is dropped, the call fails.
const CALL_TIMEOUT_MS = 120_000

interface Call {
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  body?: unknown
  /** A stream to send as the body (a build context). */
  upload?: NodeJS.ReadableStream
  headers?: Record<string, string>
  signal?: AbortSignal
  /** No idle timeout: the answer comes when a container ends, or never ends (output). */
  long?: boolean
}

export class HttpEngine implements EngineClient {
  readonly endpoint: string
  constructor(private readonly target: Exclude<EngineEndpoint, { kind: 'ssh' }>) {
    this.endpoint = target.url
  }

  async ping(): Promise<void> {
    await this.json({ method: 'GET', path: '/_ping' })
  }

  async inspectImage(name: string): Promise<{ Id: string } | null> {
    return this.json<{ Id: string }>({ method: 'GET', path: `/images/${encodeURIComponent(name)}/json` }).catch(notFoundAsNull)
  }

  async tagImage(name: string, repo: string, tag: string): Promise<void> {
    await this.json({ method: 'POST', path: `/images/${encodeURIComponent(name)}/tag?${query({ repo, tag })}` })
  }

  async buildImage(context: NodeJS.ReadableStream, options: BuildOptions, onEvent: (event: BuildEvent) => void): Promise<void> {
    const params = query({
      t: options.tag, dockerfile: options.dockerfile, buildargs: JSON.stringify(options.args), labels: JSON.stringify(options.labels),
      rm: '1', forcerm: '1', ...(options.target ? { target: options.target } : {}),
    })
    const response = await this.send({ method: 'POST', path: `/build?${params}`, upload: context, headers: { 'Content-Type': 'application/x-tar' }, long: true })
    await readJsonLines(response, onEvent)
  }

  async listContainers(labels: string[]): Promise<ContainerSummary[]> {
    return this.json({ method: 'GET', path: `/containers/json?${query({ all: '1', filters: JSON.stringify({ label: labels }) })}` })
  }

  async createContainer(options: ContainerCreateOptions): Promise<string> {
    return (await this.json<{ Id: string }>({ method: 'POST', path: '/containers/create', body: options })).Id
  }

  attachContainer(id: string): Promise<Readable> {
    // Asks for the connection to be upgraded to a raw stream, as the docker CLI does; an engine that answers
    // 200 instead streams the same frames as the response body.
    return new Promise((resolve, reject) => {
      const request = this.open({ method: 'POST', path: `/containers/${id}/attach?stream=1&stdout=1&stderr=1`, headers: { Connection: 'Upgrade', Upgrade: 'tcp' }, long: true })
      request.on('upgrade', (_response, socket, head) => {
        if (head.length > 0) socket.unshift(head)
        resolve(socket)
      })
      request.on('response', (response) => {
        if ((response.statusCode ?? 500) < 400) resolve(response)
        else errorOf(response).then(reject, reject)
      })
      request.on('error', reject)
      request.end()
    })
  }

  async startContainer(id: string): Promise<void> {
    await this.json({ method: 'POST', path: `/containers/${id}/start` })
  }

  async waitContainer(id: string, signal?: AbortSignal): Promise<{ StatusCode: number }> {
    return this.json({ method: 'POST', path: `/containers/${id}/wait`, signal, long: true })
  }

  async inspectContainer(id: string): Promise<{ State: ContainerState }> {
    return this.json({ method: 'GET', path: `/containers/${id}/json` })
  }

  async killContainer(id: string, signal: string): Promise<void> {
    await this.json({ method: 'POST', path: `/containers/${id}/kill?${query({ signal })}` })
  }

  async removeContainer(id: string): Promise<void> {
    await this.json({ method: 'DELETE', path: `/containers/${id}?force=1&v=1` })
  }

  // A call with a JSON (or empty, or "OK") answer; an HTTP error becomes an EngineError with its status.
  private async json<T>(call: Call): Promise<T> {
    const response = await this.send(call)
    const text = await readAll(response)
    return (text && response.headers['content-type']?.includes('json') ? JSON.parse(text) : text) as T
  }

  private send(call: Call): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const request = this.open(call)
      request.on('response', (response) => {
        if ((response.statusCode ?? 500) < 400) resolve(response)
        else errorOf(response).then(reject, reject)
      })
      request.on('error', reject)
      if (call.upload) {
        call.upload.on('error', (error: Error) => request.destroy(error))
        call.upload.pipe(request)
      } else {
        request.end(call.body === undefined ? undefined : JSON.stringify(call.body))
      }
    })
  }

  private open(call: Call): http.ClientRequest {
    const target = this.target
    const headers: Record<string, string> = { ...call.headers }
    if (call.body !== undefined) headers['Content-Type'] = 'application/json'
    const where = target.kind === 'unix' ? { socketPath: target.socketPath } : { host: target.host, port: target.port }
    const options: https.RequestOptions = { ...where, method: call.method, path: call.path, headers, signal: call.signal, agent: false }
    const request = target.kind === 'tcp' && target.tls ? https.request({ ...options, ...target.tls }) : http.request(options)
    if (!call.long) request.setTimeout(CALL_TIMEOUT_MS, () => request.destroy(new Error(`no answer from ${this.endpoint} in ${CALL_TIMEOUT_MS / 1000} s`)))
    return request
  }
}

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString()
}

function notFoundAsNull(error: unknown): null {
  if (error instanceof EngineError && error.statusCode === 404) return null
  throw error
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

// The engine says what went wrong as {"message": "..."}; keep its words, with the status for callers to test.
async function errorOf(response: http.IncomingMessage): Promise<EngineError> {
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
async function readJsonLines(stream: Readable, onEvent: (event: BuildEvent) => void): Promise<void> {
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
