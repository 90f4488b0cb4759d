import { execa } from 'execa'
import { afterAll, describe, expect, test } from 'vitest'
import { cliPath } from '../helpers/cli.js'
import { useRepoFixtures } from '../helpers/repo-fixture.js'

// Honest live progress, watched as a person would: tmux runs `xtest run --all` (six shards, two at a time) in a
// 120×40 pane and the screen is captured every ~150 ms. It is the second run, with timings and the shards' last wall
// times recorded (a bar weighed by test durations stepped back there). The overall fraction must never step back,
// each shard is expected to take what it took last time, and a failed test must be named on the screen while the
// run is still going, not only in the summary at its end.
const copyInRepo = useRepoFixtures()
const session = `xtest-honest-${process.pid}`
const tmux = (...args: string[]) => execa('tmux', args, { reject: false })
const OVERALL = /^ {2}[█░]{20} +(\d+)% {2}\d\/6 shards/m

afterAll(async () => {
  await tmux('kill-session', '-t', session)
})

describe('the live view on a terminal', () => {
  test('the overall percentage never goes backwards; a failed test is named before the run ends', async () => {
    const cwd = copyInRepo('report-monorepo')
    // app/lib/paced.test.ts waits PACE_MS per test: amp.fast runs for seconds while app/lib/rounding fails at once.
    const env = { ...process.env, CI: '', PACE_MS: '1000' }
    const first = await execa('node', [cliPath, 'run', '--all', '--runtime', 'local', '--concurrency', '2', '--progress', 'none'], {
      cwd,
      env,
      reject: false,
    })
    expect(first.exitCode).toBe(1)
    const command = `env -u CI NO_COLOR=1 PACE_MS=1000 node ${cliPath} run --all --runtime local --concurrency 2; echo "exit $?"; sleep 600`
    expect((await tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', cwd, command)).exitCode).toBe(0)
    const percents: number[] = []
    const etas: number[] = []
    let failedSeenLive = false
    let expectedLastTime = false
    let last = ''
    for (const until = Date.now() + 180_000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 150))) {
      last = (await tmux('capture-pane', '-p', '-t', session)).stdout
      const overall = last.match(OVERALL)
      if (overall) percents.push(Number(overall[1]))
      const eta = last.match(/ ETA (\d+(?:\.\d)?)s$/m)
      if (eta) etas.push(Number(eta[1]))
      // Named while the block is still drawn: the run has not ended.
      if (overall && /^✗ app\/lib\/rounding\.test\.ts > adds prices {2}\[amp\.fast\]$/m.test(last)) failedSeenLive = true
      if (/^ {2}amp\.fast +[█░]{10} .* of ~[\d.]+s/m.test(last)) expectedLastTime = true
      if (/^exit \d+$/m.test(last)) break
    }
    expect(last).toMatch(/^exit 1$/m)
    expect(percents.length, 'frames with the overall bar').toBeGreaterThanOrEqual(20)
    for (let i = 1; i < percents.length; i++)
      expect(percents[i], `frame ${i}: ${percents.join(' ')}`).toBeGreaterThanOrEqual(percents[i - 1]!)
    expect(etas.length).toBeGreaterThanOrEqual(5)
    // Smoothed: from one frame to the next, an ETA of 4 s or more never triples (nor falls to a third).
    for (let i = 1; i < etas.length; i++)
      if (etas[i - 1]! >= 4) expect(etas[i]! / etas[i - 1]!, `frame ${i}: ${etas.join(' ')}`).toBeGreaterThan(1 / 3)
    for (let i = 1; i < etas.length; i++)
      if (etas[i - 1]! >= 4) expect(etas[i]! / etas[i - 1]!, `frame ${i}: ${etas.join(' ')}`).toBeLessThan(3)
    expect(failedSeenLive).toBe(true)
    expect(expectedLastTime).toBe(true)
    // Each failed test once, above the summary; the summary still lists it.
    const all = (await tmux('capture-pane', '-p', '-t', session, '-S', '-')).stdout
    expect(all.match(/^✗ app\/lib\/rounding\.test\.ts > adds prices {2}\[amp\.fast\]$/gm)).toHaveLength(1)
    expect(all).toContain('xtest: FAILED: 2 failed, 0 errors, 16 passed, 3 skipped of 21 tests, 2 shard errors')
  }, 240_000)
})
