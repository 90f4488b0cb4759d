import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import https from 'node:https'
import type net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { InfraError } from '../../src/core/errors.js'
import { createEngine } from '../../src/runtimes/engine.js'
import { resolveEndpoint } from '../../src/runtimes/engine-endpoint.js'
import { HttpEngine } from '../../src/runtimes/engine-http.js'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-endpoint-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe('resolveEndpoint reads DOCKER_HOST and friends as the docker CLI does', () => {
  test.each([
    [
      'a container host wins over DOCKER_HOST',
      'unix:///run/podman/podman.sock',
      { DOCKER_HOST: 'tcp://elsewhere:2375' },
      { kind: 'unix', socketPath: '/run/podman/podman.sock' },
    ],
    ['DOCKER_HOST unix://', undefined, { DOCKER_HOST: 'unix:///tmp/d.sock' }, { kind: 'unix', socketPath: '/tmp/d.sock' }],
    [
      'tcp:// without a port is 2375, plain',
      undefined,
      { DOCKER_HOST: 'tcp://10.0.0.5' },
      { kind: 'tcp', host: '10.0.0.5', port: 2375, tls: null },
    ],
    ['a bare host:port is tcp', undefined, { DOCKER_HOST: 'localhost:2400' }, { kind: 'tcp', host: 'localhost', port: 2400, tls: null }],
    [
      'DOCKER_TLS_VERIFY turns on TLS, default port 2376',
      undefined,
      { DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tmp },
      { kind: 'tcp', port: 2376, tls: {} },
    ],
    ['port 2376 means TLS', 'tcp://h:2376', { DOCKER_CERT_PATH: tmp }, { kind: 'tcp', port: 2376, tls: {} }],
    ['ssh://user@host:2222', 'ssh://ci@build-box:2222', {}, { kind: 'ssh', host: 'build-box', port: 2222, username: 'ci' }],
  ])('%s', (_name, host, env, expected) => {
    expect(resolveEndpoint(host, env)).toMatchObject(expected)
  })

  test('without DOCKER_HOST: the default socket', () => {
    expect(resolveEndpoint(undefined, {})).toMatchObject({ kind: 'unix', socketPath: expect.stringMatching(/docker\.sock$/) })
  })

  test.each([['npipe:////./pipe/docker_engine'], ['http://[::1']])('an unusable host is an infra error naming it: %s', (host) => {
    expect(() => resolveEndpoint(host, {})).toThrow(InfraError)
    expect(() => resolveEndpoint(host, {})).toThrow(host)
  })

  test('ssh:// gets the dockerode client, everything else the node:http one', async () => {
    expect(await createEngine('unix:///tmp/x.sock', {})).toBeInstanceOf(HttpEngine)
    const ssh = await createEngine('ssh://ci@127.0.0.1:1', {})
    expect(ssh).not.toBeInstanceOf(HttpEngine)
    expect(ssh.endpoint).toBe('ssh://ci@127.0.0.1:1')
  })
})

describe('TLS with DOCKER_CERT_PATH', () => {
  // A CA, a server certificate for 127.0.0.1 and a client certificate, as `dockerd --tlsverify` would demand.
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tmp, stdio: 'pipe' })
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=xtest-ca', '-keyout', 'ca-key.pem', '-out', 'ca.pem')
  for (const [name, extra] of [
    ['server', 'subjectAltName=IP:127.0.0.1'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`)
    fs.writeFileSync(path.join(tmp, `${name}.ext`), `${extra}\n`)
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    )
  }
  const certs = path.join(tmp, 'certs')
  fs.mkdirSync(certs)
  fs.copyFileSync(path.join(tmp, 'ca.pem'), path.join(certs, 'ca.pem'))
  fs.copyFileSync(path.join(tmp, 'client.pem'), path.join(certs, 'cert.pem'))
  fs.copyFileSync(path.join(tmp, 'client-key.pem'), path.join(certs, 'key.pem'))

  async function withEngineDouble(run: (port: number) => Promise<void>): Promise<string[]> {
    const seen: string[] = []
    const server = https.createServer(
      {
        key: fs.readFileSync(path.join(tmp, 'server-key.pem')),
        cert: fs.readFileSync(path.join(tmp, 'server.pem')),
        ca: fs.readFileSync(path.join(tmp, 'ca.pem')),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (request, response) => {
        seen.push(
          `${request.method} ${request.url} client=${(request.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN}`,
        )
        response.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK')
      },
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      await run((server.address() as net.AddressInfo).port)
    } finally {
      server.close()
    }
    return seen
  }

  test('pings a TLS engine with the client certificate, checking the server against ca.pem', async () => {
    const seen = await withEngineDouble(async (port) => {
      const engine = await createEngine(undefined, {
        DOCKER_HOST: `tcp://127.0.0.1:${port}`,
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: certs,
      })
      await engine.ping()
    })
    expect(seen).toEqual(['GET /_ping client=client'])
  })

  test('without the client certificate the engine refuses the connection', async () => {
    const empty = path.join(tmp, 'empty')
    fs.mkdirSync(empty)
    fs.copyFileSync(path.join(tmp, 'ca.pem'), path.join(empty, 'ca.pem'))
    const seen = await withEngineDouble(async (port) => {
      const engine = await createEngine(undefined, {
        DOCKER_HOST: `tcp://127.0.0.1:${port}`,
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: empty,
      })
      await expect(engine.ping()).rejects.toThrow()
    })
    expect(seen).toEqual([])
  })
})
