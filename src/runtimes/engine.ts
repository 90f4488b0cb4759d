// The engine client (dockerode, loaded only when needed), with timeouts so a hung engine is an error, not a hang.

import { ConfigError } from '../core/errors.js'
import { fail, ok, type Result } from '../core/result.js'
import { parseDuration } from '../shared/duration.js'
import { withTimeout } from '../shared/with-timeout.js'
import type { EngineClient } from './engine-client.js'
import { resolveEndpoint } from './engine-endpoint.js'
import { CALL_TIMEOUT_MS } from './engine-transport.js'

/**
 * The client for a container's `host` URL, else DOCKER_HOST, else the default socket. Unix sockets and tcp (with
 * TLS) use the small node:http client; ssh:// hosts use dockerode, loaded only then.
 */
export async function createEngine(host?: string, env: NodeJS.ProcessEnv = process.env): Promise<EngineClient> {
  const endpoint = resolveEndpoint(host, env)
  const timeoutMs = engineTimeoutOf(env)
  if (endpoint.kind === 'ssh') {
    const { createDockerodeEngine } = await import('./engine-dockerode.js')
    return createDockerodeEngine(endpoint.url, {
      protocol: 'ssh',
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.username,
      sshOptions: { agent: env.SSH_AUTH_SOCK },
      timeout: timeoutMs,
    })
  }
  const { HttpEngine } = await import('./engine-http.js')
  return new HttpEngine(endpoint, timeoutMs)
}

/**
 * XTEST_ENGINE_TIMEOUT (`30s`, `2m`, or ms): how long one engine call (not a stream) may go unanswered. Default 2 m.
 * @throws ConfigError (exit 2) for a value that is not a duration.
 */
function engineTimeoutOf(env: NodeJS.ProcessEnv): number {
  const text = env.XTEST_ENGINE_TIMEOUT
  if (text === undefined || text === '') return CALL_TIMEOUT_MS
  const ms = parseDuration(/^\d+$/.test(text) ? Number(text) : text)
  if (ms === null || ms <= 0)
    throw new ConfigError(`XTEST_ENGINE_TIMEOUT: expected a duration such as 30s or 2m, got '${text}'`, 'XTEST_ENGINE_TIMEOUT')
  return ms
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
