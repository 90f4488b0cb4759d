import type Docker from 'dockerode'
import { InfraError } from '../shared/errors.js'
import { withTimeout } from '../shared/with-timeout.js'

/** A dockerode client for DOCKER_HOST / the default socket, or for a container's `host` URL. */
export async function createEngine(host?: string): Promise<Docker> {
  // Loaded on first use: a run on the local runtime never pays for dockerode.
  const { default: Docker } = await import('dockerode')
  if (!host) return new Docker()
  const url = new URL(host)
  if (url.protocol === 'unix:') return new Docker({ socketPath: url.pathname })
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: url.protocol === 'https:' ? 'https' : 'http' })
  }
  if (url.protocol === 'ssh:') return new Docker({ protocol: 'ssh', host: url.hostname, port: Number(url.port || 22), username: url.username || undefined })
  throw new InfraError(`unsupported engine host '${host}' (use unix://, tcp:// or ssh://)`, 'XTEST_ENGINE_HOST')
}

export function describeEngine(host?: string): string {
  return host ?? process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'
}

/** Pings the engine; resolves to an error message when it does not answer in time. */
export async function probeEngine(engine: Docker, timeoutMs = 3000): Promise<string | null> {
  try {
    await withTimeout(engine.ping(), timeoutMs, `no answer in ${timeoutMs} ms`)
    return null
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}
