// The Docker Engine API over node:http (unix socket or tcp, with TLS): the client of shards, builds and sweeps. It
// loads in about 2 ms where dockerode takes about 180 ms (ssh2, grpc, protobufjs), which one short shard would feel.
import type { Readable } from 'node:stream'
import type { ContainerCreateOptions, ContainerState, ContainerSummary, EngineClient } from './engine-client.js'
import { notFoundAsNull } from './engine-client.js'
import type { EngineEndpoint } from './engine-endpoint.js'
import { CALL_TIMEOUT_MS, EngineTransport, errorOf, query, readEventActions, readJsonLines } from './engine-transport.js'

const PING_TIMEOUT_MS = 3000

export class HttpEngine implements EngineClient {
  readonly endpoint: string
  private readonly http: EngineTransport
  constructor(
    target: Exclude<EngineEndpoint, { kind: 'ssh' }>,
    private readonly callTimeoutMs = CALL_TIMEOUT_MS,
  ) {
    this.endpoint = target.url
    this.http = new EngineTransport(target, callTimeoutMs)
  }

  async ping(): Promise<void> {
    // An engine that accepts the connection but never answers: the probe gives up in 3 s, and so does the socket,
    // which would otherwise keep xtest alive for the full call timeout after reporting the error.
    await this.http.json({ method: 'GET', path: '/_ping', timeoutMs: Math.min(PING_TIMEOUT_MS, this.callTimeoutMs) })
  }

  async inspectImage(name: string): Promise<{ Id: string } | null> {
    return this.http.json<{ Id: string }>({ method: 'GET', path: `/images/${encodeURIComponent(name)}/json` }).catch(notFoundAsNull)
  }

  async tagImage(name: string, repo: string, tag: string): Promise<void> {
    await this.http.json({ method: 'POST', path: `/images/${encodeURIComponent(name)}/tag?${query({ repo, tag })}` })
  }

  buildImage: EngineClient['buildImage'] = async (context, options, onEvent, signal) => {
    const params = query({
      t: options.tag,
      dockerfile: options.dockerfile,
      buildargs: JSON.stringify(options.args),
      labels: JSON.stringify(options.labels),
      rm: '1',
      forcerm: '1',
      ...(options.target ? { target: options.target } : {}),
    })
    const response = await this.http.send({
      method: 'POST',
      path: `/build?${params}`,
      upload: context,
      headers: { 'Content-Type': 'application/x-tar' },
      signal,
      long: true,
    })
    await readJsonLines(response, onEvent)
  }

  async containerEvents(id: string, actions: string[], since: number, until: number): Promise<string[]> {
    const filters = JSON.stringify({ container: [id], event: actions })
    const params = query({ since: since.toFixed(3), until: until.toFixed(3), filters })
    return readEventActions(await this.http.send({ method: 'GET', path: `/events?${params}`, long: true }))
  }

  async listContainers(labels: string[]): Promise<ContainerSummary[]> {
    return this.http.json({ method: 'GET', path: `/containers/json?${query({ all: '1', filters: JSON.stringify({ label: labels }) })}` })
  }

  async createContainer(options: ContainerCreateOptions): Promise<string> {
    return (await this.http.json<{ Id: string }>({ method: 'POST', path: '/containers/create', body: options })).Id
  }

  attachContainer(id: string, options: { stdin?: boolean } = {}): Promise<Readable> {
    // Asks for the connection to be upgraded to a raw stream, as the docker CLI does; an engine that answers
    // 200 instead streams the same frames as the response body.
    return new Promise((resolve, reject) => {
      const request = this.http.open({
        method: 'POST',
        path: `/containers/${id}/attach?stream=1&stdout=1&stderr=1${options.stdin ? '&stdin=1' : ''}`,
        headers: { Connection: 'Upgrade', Upgrade: 'tcp' },
        long: true,
      })
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
    await this.http.json({ method: 'POST', path: `/containers/${id}/start` })
  }

  async waitContainer(id: string, signal?: AbortSignal): Promise<{ StatusCode: number }> {
    return this.http.json({ method: 'POST', path: `/containers/${id}/wait`, signal, long: true })
  }

  async inspectContainer(id: string): Promise<{ State: ContainerState }> {
    return this.http.json({ method: 'GET', path: `/containers/${id}/json` })
  }

  async killContainer(id: string, signal: string): Promise<void> {
    await this.http.json({ method: 'POST', path: `/containers/${id}/kill?${query({ signal })}` })
  }

  async removeContainer(id: string): Promise<void> {
    await this.http.json({ method: 'DELETE', path: `/containers/${id}?force=1&v=1` })
  }
}
