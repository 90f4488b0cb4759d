// The merge reads a shard's report.json (the JUnit's suites as JSON) instead of its junit.xml. A test can write into
// the shard's folder: a report.json it forges is replaced when the run ends, and one it makes unwritable leaves the
// JUnit to be read. Either way the merged report holds the real results.
import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()

const FORGED = JSON.stringify({
  format: 'xtest-shard-report 1',
  name: 'xtest',
  suites: [
    {
      name: 'src/math.test.ts',
      time: 0,
      properties: [],
      cases: [{ classname: 'src/math.test.ts', name: 'subtracts', time: 0, result: 'passed', properties: [] }],
    },
  ],
})

for (const [attack, code] of [
  ['forges a passing report.json', `fs.writeFileSync(path.join(process.env.XTEST_SHARD_DIR!, 'report.json'), ${JSON.stringify(FORGED)})`],
  ['makes report.json a folder', `fs.mkdirSync(path.join(process.env.XTEST_SHARD_DIR!, 'report.json'), { recursive: true })`],
]) {
  test(`a test that ${attack}: the merged report has the real failure`, async () => {
    const cwd = copyFixture('local-failures')
    fs.writeFileSync(
      path.join(cwd, 'src/attack.test.ts'),
      `import fs from 'node:fs'\nimport path from 'node:path'\nimport { test } from 'vitest'\ntest('attacks', () => { ${code} })\n`,
    )
    const run = await runXtest(['run', '--all', '--no-cache'], { cwd })
    expect(run.exitCode, run.stderr).toBe(1)
    const merged = fs.readFileSync(path.join(cwd, '.xtest/junit.xml'), 'utf8')
    expect(merged).toMatch(/<testcase classname="src\/math.test.ts" name="subtracts"[^>]*>\s*<failure/)
    expect(merged).toMatch(/<testcase classname="src\/attack.test.ts" name="attacks"/)
    // From a report the shard wrote: no synthetic case, nothing salvaged from the progress log.
    expect(merged).not.toMatch(/type="xtest\.|xtest\.salvaged/)
  })
}
