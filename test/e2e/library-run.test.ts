import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import { fixture, repoRoot } from '../helpers/cli.js'

// The library's plan() and run() are the pipeline the CLI runs (built dist/index.js, real local runtime):
// same checks, same merged report and exit code, nothing printed.
const api = () => import(pathToFileURL(path.join(repoRoot, 'dist/index.js')).href) as Promise<typeof import('../../src/index.js')>

describe('plan() and run() from code', () => {
  test('run() merges the report and returns the exit code; plan() shows its shards; merge() re-merges the report', async () => {
    const { plan, run, merge, exitCodeFor, XtestError } = await api()
    const config = path.join(fixture('local-failures'), 'xtest.config.json')
    const planned = await plan({ config, tiers: 'fast' })
    expect(planned.prepared.plan.shards.map((shard) => shard.id)).toEqual(['host.fast'])
    const junit = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-library-')), 'junit.xml')
    const notices: string[] = []
    const done = await run({ config, junit, progress: 'none', onNotice: (line) => notices.push(line) })
    expect(done.exitCode).toBe(1)
    expect(done.summary?.totals.failed).toBeGreaterThan(0)
    expect(fs.readFileSync(junit, 'utf8')).toContain('<testsuites')
    expect(notices.some((line) => line.startsWith('merged report '))).toBe(true)
    expect(fs.existsSync(path.join(done.runFolder!, 'junit.xml'))).toBe(true)
    const merged = await merge([junit], { output: path.join(path.dirname(junit), 'merged.xml') })
    expect(merged.summary.totals).toEqual(done.summary?.totals)
    expect([merged.exitCode, exitCodeFor(merged.summary)]).toEqual([1, 1])
    await expect(run({ config, containers: ['nope'] })).rejects.toSatisfy((error) => error instanceof XtestError && error.exitCode === 2)
  })
})

// exec() on the local runtime: the command's children that outlive it (here a `sleep` holding its stdout) neither
// hold the promise nor survive it, whether the command exits or is aborted (the Docker runtime removes the container).
describe('exec() on the local runtime', () => {
  const cwd = fixture('docker-sigint')
  const sleeping = (seconds: string) =>
    fs
      .readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid))
      .some((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `sleep\0${seconds}\0`
        } catch {
          return false
        }
      })
  // exec() options for a node command that starts `sleep <seconds>` on its own stdout, prints 'started' and does `then`.
  const leavingChild = (seconds: string, then: string) => ({
    container: 'a',
    argv: [
      'node',
      '-e',
      `require('child_process').spawn('sleep', ['${seconds}'], { stdio: 'inherit', detached: true }).unref(); console.log('started'); ${then}`,
    ],
    cwd,
    runtime: 'local' as const,
  })

  test('abort: exit code 130 within seconds, the child it left is killed', async () => {
    const { exec } = await api()
    const controller = new AbortController()
    const stdout = new PassThrough()
    stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('started')) controller.abort()
    })
    const started = Date.now()
    const result = await exec({ ...leavingChild('301.25', 'setTimeout(() => {}, 1e6)'), stdout, signal: controller.signal })
    expect(result).toEqual({ exitCode: 130 })
    expect(Date.now() - started).toBeLessThan(60_000) // not the 301 s of the child
    expect(sleeping('301.25')).toBe(false)
  }, 120_000)

  test('a command that exits with a child still running resolves with its exit code; the child is killed', async () => {
    const { exec } = await api()
    const started = Date.now()
    const result = await exec({ ...leavingChild('302.5', 'process.exit(5)'), stdout: new PassThrough() })
    expect(result).toEqual({ exitCode: 5 })
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(sleeping('302.5')).toBe(false)
  }, 120_000)
})
