// Checks before anything starts: a Vitest outside xtest's supported range, or one whose engines.node this machine's
// Node does not satisfy, ends the run with one line and exit 2: no shard started, no run folder.
import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import { repoRoot, runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()
const range = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { peerDependencies: { vitest: string } })
  .peerDependencies.vitest

/** A fixture whose workdir resolves a fake installed Vitest (only its package.json: it must never run). */
function withInstalledVitest(pkg: Record<string, unknown>): string {
  const cwd = copyFixture('preflight')
  fs.mkdirSync(path.join(cwd, 'pkg/node_modules/vitest'), { recursive: true })
  fs.writeFileSync(path.join(cwd, 'pkg/node_modules/vitest/package.json'), JSON.stringify({ name: 'vitest', ...pkg }))
  return cwd
}

test('Vitest 4.0.17 installed: exit 2 before any shard, naming the version and the range', async () => {
  const cwd = withInstalledVitest({ version: '4.0.17' })
  const result = await runXtest(['run'], { cwd })
  expect(result.exitCode, result.stderr).toBe(2)
  expect(result.stderr.trim().split('\n')).toEqual([
    `xtest: container pkg: Vitest 4.0.17 is installed (pkg/node_modules/vitest/package.json), but xtest needs Vitest ${range}: npm install -D vitest@^4.1.0`,
  ])
  expect(result.stdout).toBe('')
  expect(fs.existsSync(path.join(cwd, '.xtest/runs'))).toBe(false)
})

test("a Vitest whose engines.node this machine's Node does not satisfy: exit 2 naming both versions", async () => {
  const cwd = withInstalledVitest({ version: '5.1.2', engines: { node: '>=99.0.0' } })
  const result = await runXtest(['run'], { cwd })
  expect(result.exitCode, result.stderr).toBe(2)
  expect(result.stderr).toContain(
    `xtest: container pkg: this machine runs Node ${process.version}, but the installed Vitest 5.1.2 needs Node >=99.0.0 (its engines.node)`,
  )
  expect(result.stderr).not.toMatch(/^start /m)
  expect(fs.existsSync(path.join(cwd, '.xtest/runs'))).toBe(false)
})

test('the supported Vitest runs as before', async () => {
  const result = await runXtest(['run'], { cwd: copyFixture('preflight') })
  expect(result.exitCode, result.stderr).toBe(0)
})
