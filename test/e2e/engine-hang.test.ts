import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { fixture, runXtest } from '../helpers/cli.js'

// An engine socket that accepts connections and never answers (a wedged daemon): `xtest clean` waited 121 s per
// call. Now: one line, exit 3, within the ping's 3 s; an engine that answers the ping but then hangs is bounded by
// XTEST_ENGINE_TIMEOUT.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-engine-hang-'))
const servers: net.Server[] = []
afterAll(() => {
  for (const server of servers) server.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function fakeEngine(name: string, answerPing: boolean): Promise<string> {
  const socketPath = path.join(dir, name)
  const server = net.createServer((socket) => {
    socket.on('data', (data) => {
      if (answerPing && data.toString().startsWith('GET /_ping'))
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK')
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(socketPath, resolve))
  return `unix://${socketPath}`
}

test('xtest clean on an engine that never answers: one line, exit 3, in seconds', async () => {
  const host = await fakeEngine('silent.sock', false)
  const started = Date.now()
  const clean = await runXtest(['clean'], { cwd: fixture('docker-many'), env: { DOCKER_HOST: host }, timeout: 60_000 })
  expect(clean.exitCode, clean.stderr).toBe(3)
  expect(clean.stderr.trim()).toBe(`xtest: cannot reach the container engine at ${host}: no answer in 3000 ms`)
  expect(Date.now() - started).toBeLessThan(15_000)
})

test('an engine that answers the ping and then hangs: every call gives up after XTEST_ENGINE_TIMEOUT', async () => {
  const host = await fakeEngine('half.sock', true)
  const started = Date.now()
  const clean = await runXtest(['clean'], {
    cwd: fixture('docker-many'),
    env: { DOCKER_HOST: host, XTEST_ENGINE_TIMEOUT: '2s' },
    timeout: 60_000,
  })
  expect(clean.exitCode, clean.stderr).toBe(3)
  expect(clean.stderr.trim()).toBe(`xtest: cannot reach the container engine: no answer from ${host} in 2 s`)
  expect(Date.now() - started).toBeLessThan(15_000)
  const bad = await runXtest(['clean'], { cwd: fixture('docker-many'), env: { DOCKER_HOST: host, XTEST_ENGINE_TIMEOUT: 'soon' } })
  expect(bad.exitCode).toBe(2)
  expect(bad.stderr.trim()).toBe("xtest: XTEST_ENGINE_TIMEOUT: expected a duration such as 30s or 2m, got 'soon'")
})
