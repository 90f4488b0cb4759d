// Issue 11, group 14: an image that could not be had used to print a clear first line and then one error per file
// (~100 lines). Now: one line per cause with a count and a few example files; the JUnit still has one case per file.
// (A missing image no longer gets that far: it ends the run before it starts, preflight.test.ts; a failed build does.)
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { readMergedJunit, requireEngine, useLeftovers } from '../helpers/docker.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const leftovers = useLeftovers()
const copyFixture = useTempFixtures()

beforeAll(() => requireEngine())

test('a failed image build with 41 test files: one grouped line for the 41 files, all 41 in the JUnit', async () => {
  const cwd = copyFixture('docker-build-fails')
  for (let i = 1; i <= 40; i++)
    fs.copyFileSync(path.join(cwd, 'never-runs.test.ts'), path.join(cwd, `t${String(i).padStart(2, '0')}.test.ts`))
  const result = await runXtest(['run', '--runtime', 'docker'], { cwd })
  expect(result.exitCode, result.stderr).toBe(3)
  const cause = "container broken: image build failed at 'Step 2/3 : RUN false'"
  expect(result.stdout).toContain(
    `Files without a result (41), by cause:\n  41 file(s) without a result (xtest.infra): infrastructure failure: ${cause}`,
  )
  expect(result.stdout).toContain('e.g. broken/fast never-runs.test.ts, broken/fast t01.test.ts, broken/fast t02.test.ts and 38 more\n')
  expect(result.stdout).toContain("Shard errors (1): xtest's own, not test results:\n  ERROR broken/fast > [xtest] infra")
  expect(result.stdout).not.toContain('t03.test.ts')
  expect(result.stdout.split('\n').length, result.stdout).toBeLessThan(25)
  const report = readMergedJunit(path.join(leftovers.runDirOf(result.stderr, cwd), 'junit.xml'))
  expect(report.cases.filter((c) => c.type === 'xtest.infra')).toHaveLength(42)
})
