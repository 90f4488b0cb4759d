import type { EngineClient } from './engine-client.js'
import { resolveEndpoint } from './engine-endpoint.js'
import { fail, ok, type Result } from '../core/result.js'
import { withTimeout } from '../shared/with-timeout.js'

/**
 * The client for a container's `host` URL, else DOCKER_HOST, else the default socket. Unix sockets and tcp (with
 * TLS) use the small node:http client; ssh:// hosts use dockerode, loaded only then.
 */
export async function createEngine(host?: string, env: NodeJS.ProcessEnv = process.env): Promise<EngineClient> {
  const endpoint = resolveEndpoint(host, env)
  if (endpoint.kind === 'ssh') {
    const { createDockerodeEngine } = await import('./engine-dockerode.js')
    return createDockerodeEngine(endpoint.url, {
      protocol: 'ssh',
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.username,
      sshOptions: { agent: env.SSH_AUTH_SOCK },
    })
  }
  const { HttpEngine } = await import('./engine-http.js')
  return new HttpEngine(endpoint)
}

/** The engine's address as xtest will use it (for messages, and to probe each engine once). */
export function describeEngine(host?: string): string {
  try {
    return resolveEndpoint(host).url
  } catch {
    return host ?? process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'
  }
}

/** Pings the engine: the engine, or why it does not answer (in time). */
export async function probeEngine(engine: EngineClient, timeoutMs = 3000): Promise<Result<EngineClient>> {
  try {
    await withTimeout(engine.ping(), timeoutMs, `no answer in ${timeoutMs} ms`)
    return ok(engine)
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error))
  }
}
