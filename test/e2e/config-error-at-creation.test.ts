import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()

// A config error that only shows when a shard is created (here: no Vitest for the container's workdir)
// cost the shard as an infrastructure failure, exit 3. It is the config's fault: the report is still written, and
// xtest exits 2 with the one line naming the culprit.
describe('a config error found when a shard is created', () => {
  test('exits 2 naming the culprit, after writing the report', async () => {
    const cwd = copyFixture('local-failures')
    fs.rmSync(path.join(cwd, 'node_modules'))
    const { exitCode, stderr } = await runXtest(['run', '--runtime', 'local'], { cwd })
    expect(exitCode, stderr).toBe(2)
    expect(stderr).toMatch(
      new RegExp(
        `^xtest: vitest is not installed for ${cwd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(container host\\): run npm install -D vitest$`,
        'm',
      ),
    )
    expect(fs.existsSync(path.join(cwd, '.xtest/junit.xml'))).toBe(true)
  })
})
