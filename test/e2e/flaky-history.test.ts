import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()

// Every run appends each test's outcome to .xtest/history.json; a test that passes only on
// retry shows up with a flake rate in the summary and in `xtest plan --flaky`.
describe('flaky history', () => {
  test('a test that fails its first try and passes on retry, over 5 runs, has a flake rate in the summary and plan --flaky', async () => {
    const dir = copyFixture('flaky-retry')
    let last = ''
    for (let run = 1; run <= 5; run++) {
      const result = await runXtest(['run', '--runtime', 'local'], { cwd: dir })
      expect(result.exitCode, result.stderr).toBe(0)
      last = result.stdout
    }
    expect(last).toContain(
      'Flaky tests (their recent runs mix passes and failures: P passed, F failed, R passed on retry):\n' +
        '  flake rate 100%  RRRRR  host/fast/src/retry.test.ts > passes on retry\n',
    )
    expect(last).not.toContain('always passes\n')
    const history = JSON.parse(fs.readFileSync(path.join(dir, '.xtest/history.json'), 'utf8'))
    expect(history).toMatchObject({
      version: 1,
      runs: 5,
      tests: {
        'host/fast/src/retry.test.ts > passes on retry': { o: 'RRRRR' },
        'host/fast/src/retry.test.ts > always passes': { o: 'PPPPP' },
      },
    })
    const plan = await runXtest(['plan', '--flaky'], { cwd: dir })
    expect(plan.exitCode, plan.stderr).toBe(0)
    expect(plan.stdout).toBe(
      [
        'flake rate  recent (oldest first)  test',
        '100%        RRRRR                  host/fast/src/retry.test.ts > passes on retry',
        '1 flaky of 2 test(s) over the last 5 run(s); P passed, F failed, R passed on retry, S skipped',
      ].join('\n'),
    )
  })

  test('a corrupt history is a warning and a fresh file; the run still passes', async () => {
    const dir = copyFixture('flaky-retry')
    fs.mkdirSync(path.join(dir, '.xtest'))
    fs.writeFileSync(path.join(dir, '.xtest/history.json'), '{"version":1,"tests":')
    const result = await runXtest(['run', '--runtime', 'local'], { cwd: dir })
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/xtest: warning: .*history\.json is corrupt \(not JSON .*\); starting a fresh history/)
    expect(JSON.parse(fs.readFileSync(path.join(dir, '.xtest/history.json'), 'utf8'))).toMatchObject({ runs: 1 })
  })
})
