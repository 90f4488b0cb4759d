// What xtest asks of a container engine: the dozen Engine API calls a shard, a build and a sweep need.
// Two implementations: engine-http.ts (node:http, for unix sockets and tcp) and engine-dockerode.ts (ssh://).
import type { Readable } from 'node:stream'
import { EngineError } from '../core/errors.js'

/** The body of `POST /containers/create`, as far as xtest fills it. */
export interface ContainerCreateOptions {
  Image: string
  Cmd: string[]
  WorkingDir: string
  Env: string[]
  User: string
  Labels: Record<string, string>
  AttachStdout: boolean
  AttachStderr: boolean
  /** `xtest exec` with a stdin: the command reads what the attached client writes, until it closes it. */
  OpenStdin?: boolean
  StdinOnce?: boolean
  Tty: boolean
  HostConfig: {
    Binds: string[]
    NetworkMode: string
    CapDrop: string[]
    SecurityOpt: string[]
    Init: boolean
    PidsLimit: number
    Tmpfs: Record<string, string>
    LogConfig: { Type: string; Config: Record<string, string> }
    AutoRemove: boolean
    ReadonlyRootfs: boolean
    Memory: number
    MemorySwap: number
    NanoCpus?: number
    CpuShares?: number
  }
}

interface BuildOptions {
  tag: string
  /** The Dockerfile's path inside the context. */
  dockerfile: string
  args: Record<string, string>
  target?: string
  labels: Record<string, string>
}

/** One message of the engine's build progress stream. */
export interface BuildEvent {
  stream?: string
  error?: string
  errorDetail?: { message?: string }
}

export interface ContainerSummary {
  Id: string
  Labels?: Record<string, string>
}

export interface ContainerState {
  ExitCode: number
  OOMKilled: boolean
}

/** For lookups where absence is an answer (an image not on the engine): 404 becomes null, anything else is thrown. */
export function notFoundAsNull(error: unknown): null {
  if (error instanceof EngineError && error.statusCode === 404) return null
  throw error
}

export interface EngineClient {
  /** Where it talks to, for messages: unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host. */
  readonly endpoint: string
  ping(): Promise<void>
  /** The image's id, or null when the engine has no such image. */
  inspectImage(name: string): Promise<{ Id: string } | null>
  tagImage(name: string, repo: string, tag: string): Promise<void>
  /** Builds from a tar of the context; resolves when the engine's progress stream ends. Aborting drops the
   *  connection, which makes the engine cancel the build. */
  buildImage(
    context: NodeJS.ReadableStream,
    options: BuildOptions,
    onEvent: (event: BuildEvent) => void,
    signal?: AbortSignal,
  ): Promise<void>
  /** Containers (running or not) carrying all these labels (`key` or `key=value`). */
  listContainers(labels: string[]): Promise<ContainerSummary[]>
  /** Creates a container; resolves to its id. */
  createContainer(options: ContainerCreateOptions): Promise<string>
  /** The container's multiplexed stdout/stderr (8-byte frame headers); attach before start to lose nothing.
   *  With `stdin` (a container created with OpenStdin) the stream is a Duplex: writes go to its stdin, end() closes it. */
  attachContainer(id: string, options?: { stdin?: boolean }): Promise<Readable>
  startContainer(id: string): Promise<void>
  /** Resolves when the container stops; `signal` gives up waiting (the container is left alone). */
  waitContainer(id: string, signal?: AbortSignal): Promise<{ StatusCode: number }>
  inspectContainer(id: string): Promise<{ State: ContainerState }>
  killContainer(id: string, signal: string): Promise<void>
  /** The actions (`oom`, `die`…) the engine logged for one container between two times (unix seconds, fractions
   *  allowed); answers once `until` has passed. */
  containerEvents(id: string, actions: string[], since: number, until: number): Promise<string[]>
  /** Removes the container and its anonymous volumes, running or not. */
  removeContainer(id: string): Promise<void>
}
