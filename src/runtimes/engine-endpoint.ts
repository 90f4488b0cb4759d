import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { InfraError } from '../core/errors.js'

/** Where an engine listens, read the way the docker CLI reads DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH. */
export type EngineEndpoint =
  | { kind: 'unix'; url: string; socketPath: string }
  | { kind: 'tcp'; url: string; host: string; port: number; tls: TlsFiles | null }
  | { kind: 'ssh'; url: string; host: string; port: number; username?: string }

interface TlsFiles {
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
}

/** A container's `host`, else DOCKER_HOST, else the default socket (rootless Docker Desktop's, if present). */
export function resolveEndpoint(host: string | undefined, env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  const raw = host ?? env.DOCKER_HOST
  if (!raw) return unix(defaultSocket())
  if (raw.startsWith('unix://')) return unix(raw.slice('unix://'.length) || defaultSocket())
  let url: URL
  try {
    url = new URL(raw.includes('//') ? raw : `tcp://${raw}`)
  } catch {
    throw new InfraError(`engine host '${raw}' is not a URL (use unix:///path, tcp://host:port or ssh://user@host)`, 'XTEST_ENGINE_HOST')
  }
  if (url.protocol === 'ssh:') {
    return { kind: 'ssh', url: raw, host: url.hostname, port: Number(url.port || 22), username: url.username || undefined }
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InfraError(`unsupported engine host '${raw}' (use unix://, tcp:// or ssh://)`, 'XTEST_ENGINE_HOST')
  }
  // As the docker CLI: TLS when asked for by https://, DOCKER_TLS_VERIFY or the TLS port 2376.
  const useTls = url.protocol === 'https:' || Boolean(env.DOCKER_TLS_VERIFY) || url.port === '2376'
  const port = Number(url.port || (useTls ? 2376 : 2375))
  return { kind: 'tcp', url: raw, host: url.hostname, port, tls: useTls ? readTlsFiles(env) : null }
}

function unix(socketPath: string): EngineEndpoint {
  return { kind: 'unix', url: `unix://${socketPath}`, socketPath }
}

function defaultSocket(): string {
  const desktop = path.join(os.homedir(), '.docker', 'run', 'docker.sock')
  return fs.existsSync(desktop) ? desktop : '/var/run/docker.sock'
}

function readTlsFiles(env: NodeJS.ProcessEnv): TlsFiles {
  const dir = env.DOCKER_CERT_PATH || path.join(os.homedir(), '.docker')
  const read = (name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name)) : undefined)
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') }
}
