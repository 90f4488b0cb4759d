// The engine client for ssh:// hosts: dockerode speaks the Engine API through ssh2 and the user's ssh agent.
// Loaded only for such a host: its import alone costs about 180 ms, and it is an optional peer dependency (it pulls
// in ssh2, cpu-features and protobufjs, whose install scripts every other user would see), installed by those who need it.

import type { Readable } from 'node:stream'
import type Docker from 'dockerode'
import { EngineError, InfraError } from '../core/errors.js'
import type { ContainerCreateOptions, EngineClient } from './engine-client.js'
import { notFoundAsNull } from './engine-client.js'
import { readEventActions } from './engine-transport.js'

type DockerodeModule = { default: typeof Docker }

export async function createDockerodeEngine(
  endpoint: string,
  options: Docker.DockerOptions,
  load: () => Promise<DockerodeModule> = () => import('dockerode'),
): Promise<EngineClient> {
  const { default: Dockerode } = await loadDockerode(endpoint, load)
  silenceUrlParseWarning()
  return new DockerodeEngine(endpoint, new Dockerode(options))
}

export class DockerodeEngine implements EngineClient {
  constructor(
    readonly endpoint: string,
    private readonly docker: Docker,
  ) {}

  ping = () => call(this.docker.ping()).then(() => undefined)
  inspectImage = (name: string) => call(this.docker.getImage(name).inspect()).then((info) => ({ Id: info.Id }), notFoundAsNull)
  tagImage = (name: string, repo: string, tag: string) => call(this.docker.getImage(name).tag({ repo, tag })).then(() => undefined)
  listContainers = (labels: string[]) => call(this.docker.listContainers({ all: true, filters: { label: labels } }))
  createContainer = (options: ContainerCreateOptions) => call(this.docker.createContainer(options)).then((container) => container.id)
  attachContainer = (id: string, options: { stdin?: boolean } = {}) =>
    call(
      this.docker
        .getContainer(id)
        .attach({ stream: true, stdout: true, stderr: true, ...(options.stdin ? { stdin: true, hijack: true } : {}) }),
    ) as Promise<unknown> as Promise<Readable>
  startContainer = (id: string) => call(this.docker.getContainer(id).start()).then(() => undefined)
  // dockerode's wait takes no signal; the caller's bound (waitBounded) gives up on it instead.
  waitContainer = (id: string) => call(this.docker.getContainer(id).wait()) as Promise<{ StatusCode: number }>
  inspectContainer = (id: string) => call(this.docker.getContainer(id).inspect())
  killContainer = (id: string, signal: string) => call(this.docker.getContainer(id).kill({ signal })).then(() => undefined)
  containerEvents = async (id: string, actions: string[], since: number, until: number) => {
    const stream = await call(this.docker.getEvents({ since, until, filters: { container: [id], event: actions } }))
    return readEventActions(stream as unknown as Readable)
  }
  removeContainer = (id: string) => call(this.docker.getContainer(id).remove({ force: true, v: true })).then(() => undefined)

  buildImage: EngineClient['buildImage'] = async (context, options, onEvent, signal) => {
    const stream = await call(
      this.docker.buildImage(context, {
        abortSignal: signal,
        t: options.tag,
        dockerfile: options.dockerfile,
        buildargs: options.args,
        target: options.target,
        labels: options.labels,
        rm: true,
        forcerm: true,
      }),
    )
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(stream, (error) => (error ? reject(toEngineError(error)) : resolve()), onEvent)
    })
  }
}

/** dockerode, or one line saying how to install it when it is missing. */
export async function loadDockerode(endpoint: string, load: () => Promise<DockerodeModule>): Promise<DockerodeModule> {
  try {
    return await load()
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code !== 'ERR_MODULE_NOT_FOUND' || !String((error as Error).message).includes("'dockerode'")) throw error
    throw new InfraError(
      `the engine at ${endpoint} is an ssh:// host, which needs the optional package dockerode: run \`npm install -D dockerode\``,
      'XTEST_DOCKERODE_MISSING',
      { cause: error },
    )
  }
}

// dockerode's errors carry statusCode too; give them the same class as the HTTP client's.
function call<T>(work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    throw toEngineError(error)
  })
}

function toEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error
  const status = (error as { statusCode?: number }).statusCode
  return new EngineError(error instanceof Error ? error.message : String(error), status)
}

// docker-modem parses ssh addresses with the legacy url.parse: Node's DEP0170 warning about it is noise to a user.
// Only that one warning is dropped (process.noDeprecation would hide every other deprecation too).
let silenced = false
function silenceUrlParseWarning(): void {
  if (silenced) return
  silenced = true
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    const code = typeof rest[0] === 'object' ? (rest[0] as { code?: string } | null)?.code : rest[1]
    if (code === 'DEP0170') return
    emitWarning(warning, ...rest)
  }) as typeof process.emitWarning
}
