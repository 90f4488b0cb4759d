import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { readMergedJunit } from '../helpers/docker.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()
const TEST = 'src/clock.test.ts > clock > reads the time zone'

function setQuarantine(dir: string, entries: object[]): void {
  const file = path.join(dir, 'xtest.config.json')
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), quarantine: entries }))
}

// A quarantined test still runs and is reported, but its failure does not fail the run until
// the entry's `until` date has passed.
describe('quarantine in the repo', () => {
  test('a quarantined failing test: exit 0, reported and marked, listed as quarantined in the summary', async () => {
    const dir = copyFixture('quarantine')
    const result = await runXtest(['run', '--runtime', 'local'], { cwd: dir })
    expect(result.exitCode, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^xtest: passed: 1 failed, 0 errors, 1 of them quarantined, 1 passed, 0 skipped of 2 tests$/m)
    expect(result.stdout).toContain(
      'Quarantined failures (1, they do not fail the run):\n' +
        "  QUARANTINED host/fast src/clock.test.ts > clock > reads the time zone (src/clock.test.ts:5): depends on the host's time zone\n",
    )
    expect(result.stdout).not.toContain('Failures (')
    const report = readMergedJunit(path.join(dir, '.xtest/junit.xml'))
    expect(report.suites[0]!.properties['xtest.quarantined']).toBe("clock > reads the time zone: depends on the host's time zone")
    const failed = report.cases.find((c) => c.name === 'clock > reads the time zone')!
    expect(failed.status).toBe('failed')
    expect(failed.message).toMatch(
      /^quarantined: depends on the host's time zone \(#123\), until 2999-12-31: expected 'UTC' to be 'Europe\/Berlin'/,
    )
  })

  test('an entry matches one test: a second, different test with the same full name in the file is not protected by it', async () => {
    const dir = copyFixture('quarantine')
    // `test('clock > reads the time zone')` at the top level has the same full name as the quarantined one.
    fs.appendFileSync(
      path.join(dir, 'src/clock.test.ts'),
      "\ntest('clock > reads the time zone', () => {\n  expect('a different test').toBe('failing for its own reason')\n})\n",
    )
    const result = await runXtest(['run', '--runtime', 'local'], { cwd: dir })
    expect(result.exitCode, result.stdout + result.stderr).toBe(1)
    expect(result.stdout).toContain(`quarantine of "${TEST}" matches more than one test of its file: it protects none of them (rename one)`)
    const report = readMergedJunit(path.join(dir, '.xtest/junit.xml'))
    const same = report.cases.filter((c) => c.name === 'clock > reads the time zone')
    expect(same).toHaveLength(2)
    for (const testCase of same) expect(testCase.message).not.toMatch(/^quarantined:/)
  })

  test('the same entry past its until: exit 1, and a warning from run and plan', async () => {
    const dir = copyFixture('quarantine')
    setQuarantine(dir, [{ test: TEST, reason: "depends on the host's time zone", until: '2020-01-31' }])
    const result = await runXtest(['run', '--runtime', 'local'], { cwd: dir })
    expect(result.exitCode, result.stdout).toBe(1)
    expect(result.stderr).toContain(
      `xtest: warning: quarantine of '${TEST}' expired on 2020-01-31: it no longer protects the test (renew or remove the entry)`,
    )
    expect(result.stdout).toContain('Failures (1):\n  FAIL host/fast src/clock.test.ts > clock > reads the time zone')
    expect(result.stdout).toContain(`quarantine of "${TEST}" expired on 2020-01-31: its failure fails the run again`)
    const plan = await runXtest(['plan'], { cwd: dir })
    expect(plan.exitCode).toBe(0)
    expect(plan.stderr).toContain(`xtest: warning: quarantine of '${TEST}' expired on 2020-01-31`)
  })

  test('entries that match no test warn; a failure of a test outside the quarantine still fails the run', async () => {
    const dir = copyFixture('quarantine')
    setQuarantine(dir, [
      { test: 'src/clock.test.ts > clock > reads the moon', reason: 'typo', until: '2999-01-01' },
      { test: 'src/gone.test.ts > anything', reason: 'deleted file', until: '2999-01-01' },
    ])
    const result = await runXtest(['run', '--runtime', 'local'], { cwd: dir })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(
      "xtest: warning: quarantine entry 'src/gone.test.ts > anything' matches no test: src/gone.test.ts is not a test file of the plan",
    )
    expect(result.stderr).toContain(
      "xtest: warning: quarantine entry 'src/clock.test.ts > clock > reads the moon' matches no test of src/clock.test.ts",
    )
  })

  test.each([
    [
      { test: 'no separator', reason: 'r', until: '2030-01-01' },
      "quarantine[0].test: expected '<file> > <test name>', e.g. 'src/a.test.ts > parser > reads dates'",
    ],
    [{ test: TEST, reason: 'r', until: '2030-02-30' }, "quarantine[0].until: expected a real date 'YYYY-MM-DD'"],
    [{ test: TEST, until: '2030-01-01' }, 'quarantine[0].reason: expected string, received undefined'],
  ])('a bad entry is exit 2 naming it (%j)', async (entry, message) => {
    const dir = copyFixture('quarantine')
    setQuarantine(dir, [entry])
    const result = await runXtest(['plan'], { cwd: dir })
    expect(result.exitCode).toBe(2)
    expect(result.stderr.split('\n')[0]).toBe(`xtest: xtest.config.json: ${message}`)
  })
})
