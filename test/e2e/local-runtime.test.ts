import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { describe, expect, test } from 'vitest'
import { cliPath, fixture, runXtest } from '../helpers/cli.js'

// On the local runtime: kill, timeout, SIGINT and a log flood, with no process left behind.
const cwd = fixture('local-faults')
const tempJunit = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-local-')), 'junit.xml')
const runFolder = (stderr: string) => path.join(cwd, stderr.match(/run folder (\S+)\)/)![1]!)
const shardJson = (stderr: string, id: string) => JSON.parse(fs.readFileSync(path.join(runFolder(stderr), id, 'shard.json'), 'utf8'))

async function leftoverProcesses(runDir: string): Promise<string[]> {
  const { stdout } = await execa('pgrep', ['-af', path.basename(runDir)], { reject: false })
  return stdout.split('\n').filter((line) => line && !line.includes('pgrep'))
}

describe('local runtime under faults', () => {
  test('a hanging shard times out within the budget + 10 s and leaves no process', async () => {
    const junit = tempJunit()
    const started = Date.now()
    const { exitCode, stderr } = await runXtest(['run', '--container', 'hang', '--container', 'ok', '--junit', junit], { cwd })
    expect(Date.now() - started).toBeLessThan(4_000 + 10_000 + 5_000)
    expect(exitCode).toBe(1)
    expect(shardJson(stderr, 'hang.fast')).toMatchObject({ ended: 'timeout' })
    expect(fs.readFileSync(junit, 'utf8')).toContain('type="xtest.timeout"')
    expect(await leftoverProcesses(runFolder(stderr))).toEqual([])
  })

  test('a killed shard is recorded as killed; the other shard is unaffected', async () => {
    const junit = tempJunit()
    const { exitCode, stderr } = await runXtest(['run', '--container', 'kill', '--container', 'ok', '--junit', junit], { cwd })
    expect(exitCode).toBe(1)
    expect(shardJson(stderr, 'kill.fast')).toMatchObject({ signal: 'SIGKILL' })
    const xml = fs.readFileSync(junit, 'utf8')
    expect(xml).toMatch(/<testsuite name="kill\/fast[^"]*"[^>]*errors="[1-9]/)
    expect(xml).toMatch(/<testsuite name="ok\/fast\/ok\/ok\.test\.ts"[^>]* tests="1" failures="0" errors="0"/)
    expect(await leftoverProcesses(runFolder(stderr))).toEqual([])
  })

  test('SIGINT: exit 130 within 7 s, unfinished shards interrupted, merged report written, no process left', async () => {
    const junit = tempJunit()
    const child = execa('node', [cliPath, 'run', '--container', 'sleepy', '--container', 'hang', '--junit', junit], {
      cwd,
      reject: false,
      env: { CI: 'true', NO_COLOR: '1' },
    })
    let stderr = ''
    await new Promise<void>((resolve) =>
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d
        if ((stderr.match(/^start /gm) ?? []).length === 2) setTimeout(resolve, 1500)
      }),
    )
    const sent = Date.now()
    child.kill('SIGINT')
    const result = await child
    expect(Date.now() - sent).toBeLessThan(7_000)
    expect(result.exitCode).toBe(130)
    const xml = fs.readFileSync(junit, 'utf8')
    expect(xml).toContain('sleepy/sleepy.test.ts')
    expect(xml).toContain('interrupted')
    expect(await leftoverProcesses(runFolder(result.stderr))).toEqual([])
  })

  test('a second SIGINT once the run has printed its end: still exit 130, never death by the signal (5 trials)', async () => {
    // Node's teardown puts SIGINT back to its default: a signal landing there used to kill xtest outright.
    const ends: string[] = []
    for (let trial = 0; trial < 5; trial++) {
      const child = execa('node', [cliPath, 'run', '--container', 'sleepy', '--junit', tempJunit()], {
        cwd,
        reject: false,
        env: { CI: 'true', NO_COLOR: '1' },
      })
      let stderr = ''
      let firstSent = false
      let spam: NodeJS.Timeout | undefined
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d
        if (/^start /m.test(stderr) && !firstSent) {
          firstSent = true
          setTimeout(() => child.kill('SIGINT'), 500)
        }
        if (stderr.includes('run folder') && !spam) spam = setInterval(() => child.kill('SIGINT'), 1)
      })
      const result = await child.finally(() => clearInterval(spam))
      ends.push(`${result.exitCode}/${result.signal}`)
    }
    expect(ends).toEqual(Array(5).fill('130/undefined'))
  })

  test('a 1 GiB log flood: xtest stays under 150 MB, output.log is capped, the shard keeps its real result', async () => {
    const junit = tempJunit()
    const child = execa('node', [cliPath, 'run', '--config', 'xtest.flood.config.json', '--junit', junit], {
      cwd,
      reject: false,
      env: { CI: 'true', NO_COLOR: '1', FLOOD_MB: '1024' },
    })
    let peakKb = 0
    const sampler = setInterval(() => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
      peakKb = Math.max(peakKb, Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0))
    }, 50)
    const result = await child.finally(() => clearInterval(sampler))
    expect(result.exitCode, result.stderr).toBe(0)
    expect(peakKb).toBeGreaterThan(0)
    console.info(`xtest peak RSS during a 1 GiB flood: ${Math.round(peakKb / 1024)} MB`)
    expect(peakKb / 1024).toBeLessThan(150)
    const log = path.join(runFolder(result.stderr), 'flood.fast', 'output.log')
    expect(fs.statSync(log).size).toBeLessThan(60 * 1024 * 1024)
    const tail = fs.readFileSync(log, 'utf8').slice(-3 * 1024 * 1024)
    expect(tail).toContain('[xtest] output.log capped')
  }, 300_000)
})
