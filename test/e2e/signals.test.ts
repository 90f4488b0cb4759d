// On the local runtime: SIGHUP, a SIGTERM that npm/npx delivers to its `sh -c` only (xtest sees
// its parent die), and a closed stdout. Each ends with the merged report, the right exit code and no process left.

import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { expect, test } from 'vitest'
import { cliPath } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()
const env = { CI: 'true', NO_COLOR: '1' }

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat[stat.lastIndexOf(')') + 2] !== 'Z'
  } catch {
    return false
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** pids written by local-strays' sleepy test: its Vitest worker and three strays. */
const SLEEPY = ['sleepy-detached', 'sleepy-setsid', 'sleepy-stdout', 'sleepy-worker']
const sleepyPids = (cwd: string): number[] => SLEEPY.map((name) => Number(fs.readFileSync(path.join(cwd, '.pids', `${name}.pid`), 'utf8')))
const sleepyStarted = (cwd: string) => SLEEPY.every((name) => fs.existsSync(path.join(cwd, '.pids', `${name}.pid`)))

function expectInterruptedReport(junit: string): void {
  const xml = fs.readFileSync(junit, 'utf8')
  expect(xml).toContain('sleepy/sleepy.test.ts')
  expect(xml).toContain('type="xtest.interrupted"')
}

test('SIGHUP (terminal closed): exit 130, the merged report, no process of the shard left', async () => {
  const cwd = copyFixture('local-strays')
  const junit = path.join(cwd, 'junit.xml')
  const child = execa(process.execPath, [cliPath, 'run', '--container', 'sleepy', '--junit', junit], { cwd, env, reject: false })
  try {
    await until('the sleepy shard', () => sleepyStarted(cwd))
    const pids = sleepyPids(cwd)
    const sent = Date.now()
    child.kill('SIGHUP')
    const result = await child
    expect(result.exitCode, String(result.stderr)).toBe(130)
    expect(Date.now() - sent).toBeLessThan(7_000)
    expect(result.stderr).toContain('xtest: SIGHUP: stopping the run')
    expectInterruptedReport(junit)
    await until("the shard's processes to end", () => pids.every((pid) => !alive(pid)), 3_000).catch(() => {})
    expect(pids.filter(alive)).toEqual([])
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    await child
  }
}, 90_000)

test('SIGTERM to `npm exec` (what npx runs): npm forwards it to its `sh -c` only; xtest sees its parent gone and stops cleanly', async () => {
  const cwd = copyFixture('local-strays')
  const junit = path.join(cwd, 'junit.xml')
  const log = path.join(cwd, 'xtest.stderr')
  fs.writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'signals', private: true, type: 'module' }))
  // `npm exec -c` runs the line through run-script under `sh -c`, exactly as `npx xtest ...` does.
  const line = `node ${cliPath} run --container sleepy --junit ${junit} 2>${log}`
  const npm = execa('npm', ['exec', '--yes', '-c', line], { cwd, env, reject: false })
  try {
    await until('the sleepy shard', () => sleepyStarted(cwd))
    const xtest = (await execa('pgrep', ['-f', `${cliPath} run --container sleepy --junit ${junit}`])).stdout
      .split('\n')
      .map(Number)
      .find((pid) => {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        return cmd.startsWith('node\0')
      })!
    expect(xtest).toBeGreaterThan(0)
    const pids = sleepyPids(cwd)
    npm.kill('SIGTERM')
    await npm
    // npm is gone at once; xtest, reparented, notices within a second and ends the run as for a signal.
    await until('xtest to end', () => !alive(xtest), 15_000)
    expect(fs.readFileSync(log, 'utf8')).toMatch(/xtest: the process that started xtest \(pid \d+\) is gone: stopping the run/)
    expectInterruptedReport(junit)
    await until("the shard's processes to end", () => pids.every((pid) => !alive(pid)), 3_000).catch(() => {})
    expect(pids.filter(alive)).toEqual([])
  } finally {
    if (npm.exitCode === null) npm.kill('SIGKILL')
    await npm
  }
}, 90_000)

test("a closed stdout and stderr (`xtest run 2>&1 | head -1`): the run goes on, the report is written, the exit code is the run's", async () => {
  const cwd = copyFixture('local-faults')
  const junit = path.join(cwd, 'junit.xml')
  // head exits after the first line ("start ..."); every later line of xtest meets a closed pipe (EPIPE).
  const script = `node ${cliPath} run --container ok --container kill --junit ${junit} 2>&1 | head -1; echo "xtest exit \${PIPESTATUS[0]}" >&2`
  const result = await execa('bash', ['-c', script], { cwd, env, reject: false })
  expect(result.stdout.split('\n')).toHaveLength(1)
  expect(result.stderr).toContain('xtest exit 1') // the kill shard fails the run: 1, not a crash
  const xml = fs.readFileSync(junit, 'utf8')
  expect(xml).toContain('ok/ok.test.ts')
  expect(xml).toMatch(/<testsuite name="kill\/fast[^"]*"[^>]*errors="[1-9]/)
}, 90_000)

test('a closed stdout on a passing run: exit 0 and the report', async () => {
  const cwd = copyFixture('local-faults')
  const junit = path.join(cwd, 'junit.xml')
  // `true` reads nothing and exits: xtest's first write to stdout fails.
  const script = `node ${cliPath} run --container ok --junit ${junit} | true; echo "xtest exit \${PIPESTATUS[0]}" >&2`
  const result = await execa('bash', ['-c', script], { cwd, env, reject: false })
  expect(result.stderr).toContain('xtest exit 0')
  expect(result.stderr).not.toContain('EPIPE')
  expect(fs.readFileSync(junit, 'utf8')).toContain('ok/ok.test.ts')
}, 60_000)

test("what docs/ci.md recommends: with `exec`, npm's forwarded SIGTERM reaches xtest itself, and npm exits with xtest's 130", async () => {
  const cwd = copyFixture('local-strays')
  const junit = path.join(cwd, 'junit.xml')
  fs.writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'signals', private: true, type: 'module' }))
  const npm = execa('npm', ['exec', '--yes', '-c', `exec node ${cliPath} run --container sleepy --junit ${junit}`], {
    cwd,
    env,
    reject: false,
  })
  try {
    await until('the sleepy shard', () => sleepyStarted(cwd))
    const pids = sleepyPids(cwd)
    process.kill(npm.pid!, 'SIGTERM') // not npm.kill: execa would follow with its own SIGKILL after 5 s
    const result = await npm
    expect(result.exitCode, String(result.stderr)).toBe(130)
    expect(result.stderr).toContain('xtest: SIGTERM: stopping the run')
    expectInterruptedReport(junit)
    await until("the shard's processes to end", () => pids.every((pid) => !alive(pid)), 3_000).catch(() => {})
    expect(pids.filter(alive)).toEqual([])
  } finally {
    if (npm.exitCode === null) npm.kill('SIGKILL')
    await npm
  }
}, 90_000)
