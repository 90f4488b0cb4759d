// A shard stopped at its tier timeout names the tests that were still running and for how long (from the reporter's
// test-start events), instead of only "was still running … after 0 finished test(s)".
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()

test('a tier timeout names the hanging test, in the terminal and in the JUnit', async () => {
  const cwd = copyFixture('local-faults')
  const junit = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-timeout-names-')), 'junit.xml')
  const result = await runXtest(['run', '--container', 'hang', '--junit', junit], { cwd })
  expect(result.exitCode, result.stderr).toBe(1)
  const named = /still running: hang\/hang\.test\.ts > waits forever \(running for \d+(\.\d+)?m?s\)/
  expect(result.stderr).toMatch(new RegExp(`^done {3}hang\\.fast in [^:]+: timed out .*${named.source}`, 'm'))
  expect(result.stdout).toMatch(named)
  expect(fs.readFileSync(junit, 'utf8').replaceAll('&gt;', '>')).toMatch(named)
  // The new event is a known one: no note about lines it could not read.
  expect(result.stdout + result.stderr).not.toContain('not a known event')
})
