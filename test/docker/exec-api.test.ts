// The programmatic `exec()` (the function behind `xtest exec`) against the real engine: argv in, streams and
// exit code out, stdin through, and an AbortSignal that removes the container.
import { PassThrough, Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { beforeAll, expect, test } from 'vitest'
import { exec } from '../../src/index.js'
import { fixture } from '../helpers/cli.js'
import { containersWith, requireEngine, useLeftovers, waitFor } from '../helpers/docker.js'

const cwd = fixture('docker-sigint')
const leftovers = useLeftovers()
leftovers.pids.add(process.pid)

beforeAll(() => requireEngine())

// exec() options for `node -e script` in container a.
const nodeScript = (script: string, runtime: 'docker' | 'local') => ({ container: 'a', argv: ['node', '-e', script], cwd, runtime })

function capture() {
  const stream = new PassThrough()
  let text = ''
  stream.on('data', (chunk: Buffer) => {
    text += chunk
  })
  return { stream, text: () => text }
}

test("exit code, stdout and stderr come back apart; the caller's streams are not ended", async () => {
  const out = capture()
  const err = capture()
  const script = "console.log('to out'); console.error('to err'); process.exit(3)"
  const result = await exec({ ...nodeScript(script, 'docker'), stdout: out.stream, stderr: err.stream })
  expect(result).toEqual({ exitCode: 3 })
  expect(out.text()).toBe('to out\n')
  expect(err.text()).toContain('to err\n')
  expect(out.stream.writableEnded).toBe(false)
}, 120_000)

for (const runtime of ['docker', 'local'] as const)
  test(`stdin reaches the command (${runtime} runtime)`, async () => {
    const out = capture()
    const script = "let s = ''; process.stdin.on('data', (d) => { s += d }).on('end', () => console.log(s.toUpperCase()))"
    const result = await exec({ ...nodeScript(script, runtime), stdin: Readable.from(['hello ', 'stdin']), stdout: out.stream })
    expect(result.exitCode).toBe(0)
    expect(out.text()).toBe('HELLO STDIN\n')
  }, 120_000)

for (const runtime of ['docker', 'local'] as const)
  test(`a command that exits without reading a large stdin still gives its exit code (${runtime})`, async () => {
    // Endless, so that stdin is still being written after the command has gone: the broken pipe must not crash us.
    const big = Readable.from(
      (async function* () {
        for (;;) {
          yield Buffer.alloc(64 * 1024, 97)
          await sleep(1)
        }
      })(),
    )
    const result = await exec({ ...nodeScript('process.exit(4)', runtime), stdin: big })
    await sleep(500)
    big.destroy()
    expect(result.exitCode).toBe(4)
  }, 120_000)

test('abort: the container is removed and the promise settles promptly with exit code 130', async () => {
  const controller = new AbortController()
  const running = exec({ container: 'a', argv: ['sleep', '100'], cwd, runtime: 'docker', signal: controller.signal })
  await waitFor(
    'the container to run',
    async () => (await containersWith(`xtest.pid=${process.pid}`, { running: true })).length === 1,
    90_000,
  )
  const aborted = Date.now()
  controller.abort()
  expect(await running).toEqual({ exitCode: 130 })
  expect(Date.now() - aborted).toBeLessThan(30_000) // SIGTERM ends sleep at once; SIGKILL follows 3 s later at worst
  expect(await containersWith(`xtest.pid=${process.pid}`)).toEqual([]) // docker ps -a: not even stopped
}, 120_000)

test('a shell line, an empty argv or an unknown container is refused before any work', async () => {
  await expect(exec({ container: 'a', argv: 'node --version' as never, cwd })).rejects.toThrow(/argv must be an array of strings/)
  await expect(exec({ container: 'a', argv: [], cwd })).rejects.toThrow(/argv is empty/)
  await expect(exec({ container: 'nope', argv: ['true'], cwd })).rejects.toThrow(/unknown container 'nope' \(known: a, b, c, d\)/)
  expect(await containersWith(`xtest.pid=${process.pid}`)).toEqual([])
})
