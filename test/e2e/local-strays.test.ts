// On the local runtime: a test's detached, setsid and double-forked children do not survive xtest,
// and after `kill -9` of xtest, `xtest clean` kills the orphaned Vitest and its strays.

import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { expect, test } from 'vitest'
import { cliPath, runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()

/** Running and not a zombie (an orphan's zombie may wait for an init that does not reap). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

const pidsIn = (cwd: string): Record<string, number> => {
  const dir = path.join(cwd, '.pids')
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f.replace(/\.pid$/, ''), Number(fs.readFileSync(path.join(dir, f), 'utf8'))]))
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

test("a passing shard's detached, setsid and stdout-holding children are killed when it ends", async () => {
  const cwd = copyFixture('local-strays')
  const started = Date.now()
  const { exitCode, stderr } = await runXtest(['run', '--container', 'strays', '--junit', path.join(cwd, 'junit.xml')], { cwd })
  expect(exitCode, stderr).toBe(0)
  const pids = pidsIn(cwd)
  expect(Object.keys(pids).sort()).toEqual(['strays-detached', 'strays-setsid', 'strays-stdout'])
  // The kill is synchronous at shard end; a moment for init to reap.
  await until('the strays to be gone', () => Object.values(pids).every((pid) => !alive(pid)), 5_000).catch(() => {})
  expect(
    Object.entries(pids)
      .filter(([, pid]) => alive(pid))
      .map(([name]) => name),
  ).toEqual([])
  // The stdout-holding stray did not keep the run waiting for its five minutes.
  expect(Date.now() - started).toBeLessThan(60_000)
  const runDir = path.join(cwd, stderr.match(/run folder (\S+)\)/)![1]!)
  expect(fs.readFileSync(path.join(runDir, 'strays.fast', 'output.log'), 'utf8')).toMatch(
    /killed \d+ process\(es\) the shard left running outside its process group/,
  )
}, 90_000)

test('kill -9 of xtest: its Vitest and the strays keep running until `xtest clean` kills them', async () => {
  const cwd = copyFixture('local-strays')
  const child = execa(process.execPath, [cliPath, 'run', '--container', 'sleepy', '--junit', path.join(cwd, 'junit.xml')], {
    cwd,
    reject: false,
    env: { CI: 'true', NO_COLOR: '1' },
  })
  try {
    const expected = ['sleepy-detached', 'sleepy-setsid', 'sleepy-stdout', 'sleepy-worker']
    await until(
      "the shard's processes",
      () => fs.existsSync(path.join(cwd, '.pids')) && expected.every((n) => fs.existsSync(path.join(cwd, '.pids', `${n}.pid`))),
    )
    const pids = pidsIn(cwd)
    child.kill('SIGKILL')
    await child
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(
      Object.entries(pids)
        .filter(([, pid]) => alive(pid))
        .map(([name]) => name)
        .sort(),
    ).toEqual(expected)

    // No engine here: the local sweep still runs, then the engine's absence is exit 3 as always.
    const clean = await runXtest(['clean'], { cwd, env: { DOCKER_HOST: 'unix:///nonexistent/xtest.sock' } })
    expect(clean.stderr).toMatch(/xtest: killed [4-9] processes of local shards whose xtest is gone/)
    expect(clean.exitCode).toBe(3)
    await until('every process of the dead run to be gone', () => Object.values(pids).every((pid) => !alive(pid)), 5_000).catch(() => {})
    expect(
      Object.entries(pids)
        .filter(([, pid]) => alive(pid))
        .map(([name]) => name),
    ).toEqual([])
    // A second clean finds nothing.
    const again = await runXtest(['clean'], { cwd, env: { DOCKER_HOST: 'unix:///nonexistent/xtest.sock' } })
    expect(again.stderr).not.toContain('xtest: killed')
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    await child
    for (const pid of Object.values(fs.existsSync(path.join(cwd, '.pids')) ? pidsIn(cwd) : {}))
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        /* gone */
      }
  }
}, 120_000)

test('a daemon started with an empty environment (env -i) in its own process group dies with its shard', async () => {
  const cwd = copyFixture('local-strays')
  const { exitCode, stderr } = await runXtest(['run', '--container', 'envless', '--junit', path.join(cwd, 'junit.xml')], { cwd })
  expect(exitCode, stderr).toBe(0)
  const pids = pidsIn(cwd)
  expect(Object.keys(pids)).toEqual(['envless-envless'])
  const environ = (() => {
    try {
      return fs.readFileSync(`/proc/${pids['envless-envless']}/environ`, 'latin1')
    } catch {
      return ''
    }
  })()
  expect(environ).not.toContain('XTEST_')
  await until('the daemon to be gone', () => !alive(pids['envless-envless']!), 5_000).catch(() => {})
  const left = alive(pids['envless-envless']!)
  if (left) process.kill(pids['envless-envless']!, 'SIGKILL')
  expect(left).toBe(false)
}, 90_000)
