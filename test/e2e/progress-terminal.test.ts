import path from 'node:path'
import { execa } from 'execa'
import { afterAll, describe, expect, test } from 'vitest'
import { cliPath } from '../helpers/cli.js'
import { htmlTotals, junitTotals } from '../helpers/html-totals.js'
import { useRepoFixtures } from '../helpers/repo-fixture.js'

// Live progress in a real terminal. tmux runs `xtest run --all` in a 100×30 pane; capture-pane
// shows the screen as a person would see it.
const copyInRepo = useRepoFixtures()
const session = `xtest-progress-${process.pid}`
const tmux = (...args: string[]) => execa('tmux', args, { reject: false })
const screen = async (history = false) => (await tmux('capture-pane', '-p', '-t', session, ...(history ? ['-S', '-'] : []))).stdout

afterAll(async () => {
  await tmux('kill-session', '-t', session)
})

async function waitForScreen(predicate: (text: string) => boolean, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs
  let text = ''
  while (Date.now() < until) {
    text = await screen()
    if (predicate(text)) return text
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`the screen never matched; last screen:\n${text}`)
}

describe('live progress on a terminal', () => {
  test('mid-run: per-shard counts and the overall bar; at the end: the summary and no leftover progress line', async () => {
    const cwd = copyInRepo('report-monorepo')
    // app/lib/paced.test.ts waits PACE_MS per test: amp.fast takes several seconds.
    const command = `env -u CI NO_COLOR=1 PACE_MS=900 node ${cliPath} run --all --runtime local --concurrency 2; echo "exit $?"; sleep 600`
    expect((await tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', '-c', cwd, command)).exitCode).toBe(0)

    // Which of amp.fast's files Vitest runs first differs between Vitest 4 and 5 (and with load): its failures may or
    // may not be counted yet; the count format is the same (failures so far are unit-tested in progress-live).
    const mid = await waitForScreen(
      (text) => /^ {2}amp\.fast +[█░]{10} [1-9]\d*\/\d+\+? tests {2}(?:\d+ failed {2})?\d/m.test(text),
      90_000,
    )
    expect(mid).toMatch(/^ {2}[█░]{20} +\d+% {2}\d\/6 shards {2}\d+ tests?/m)
    expect(mid.split('\n').every((line) => [...line].length <= 100)).toBe(true)

    const end = await waitForScreen((text) => /^exit \d+$/m.test(text), 120_000)
    expect(end).toMatch(/^exit 1$/m)
    expect(end).toContain('xtest: HTML report .xtest/report.html')
    const all = await screen(true)
    expect(all).toContain('xtest: FAILED: 2 failed, 0 errors, 16 passed, 3 skipped of 21 tests, 2 shard errors')
    // Each shard's end line says how many of its tests ran and failed.
    expect(all).toMatch(/done +amp\.fast in [\d.]+s: exit 1 \(\d+ tests, 2 failed\)/)
    expect(all).toMatch(/^total +16 +2 +3 +0 +\S+$/m)
    expect(all).toMatch(/^done {3}amp\.fast in \S+: exit 1 \(14 tests, 2 failed\)$/m)
    // Not on the screen, and not pushed into the scrollback either.
    expect(all).not.toMatch(/[█░]|ETA|\d+\/\d+\+? tests/)

    const run = all.match(/run folder (\S+)\)/)![1]!
    expect(htmlTotals(path.join(cwd, '.xtest', 'report.html'))).toEqual(junitTotals(path.join(cwd, run, 'junit.xml')))
  }, 240_000)
})
