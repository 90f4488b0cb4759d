// Checks before anything starts, against the real engine: a missing image is one line with the pull hint (no shard,
// no run folder, no HTML); an image whose Node cannot run the installed Vitest is refused before the shard. And a
// shard that writes into the read-only repository says so, with the `writable:` fix.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { copyFixtureIntoRepo, imageId, requireEngine, useLeftovers } from '../helpers/docker.js'

const leftovers = useLeftovers()
const copies: string[] = []
const copy = (name: string) => {
  const dir = copyFixtureIntoRepo(name, 'preflight')
  copies.push(dir)
  return dir
}

beforeAll(() => requireEngine())
afterAll(() => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true })
})

describe('before anything starts', () => {
  test('a missing image: one line with `docker pull`, exit 3, no shard started or done, no run folder, no HTML', async () => {
    const cwd = copy('docker-missing-image')
    const result = await runXtest(['run', '--runtime', 'docker'], { cwd })
    expect(result.exitCode, result.stderr).toBe(3)
    expect(result.stderr.trim().split('\n')).toEqual([
      "xtest: image 'xtest-does-not-exist:1' not on the engine (container ghost); xtest never pulls: run docker pull xtest-does-not-exist:1, or give the container a build: that makes it",
    ])
    expect(result.stdout).toBe('')
    expect(fs.existsSync(path.join(cwd, '.xtest/runs'))).toBe(false)
    expect(fs.existsSync(path.join(cwd, '.xtest/report.html'))).toBe(false)
  })

  test("an image whose Node the installed Vitest does not support: refused before the shard, naming both versions; the image's Node is remembered", async () => {
    const cwd = copy('preflight')
    fs.mkdirSync(path.join(cwd, 'pkg/node_modules/vitest'), { recursive: true })
    // A Vitest that needs a Node no image has (the base image is Node 20 or 24, by the half of CI).
    const engines = { node: '>=99.0.0' }
    fs.writeFileSync(path.join(cwd, 'pkg/node_modules/vitest/package.json'), JSON.stringify({ name: 'vitest', version: '5.1.2', engines }))
    // Forget what an earlier run learnt about the image, so that this run asks it.
    const id = await imageId('xtest-node:test')
    const known = path.join(path.dirname(path.dirname(cwd)), 'node_modules/.cache/xtest/image-node.json')
    if (fs.existsSync(known)) {
      const { [id!]: _forgotten, ...rest } = JSON.parse(fs.readFileSync(known, 'utf8'))
      fs.writeFileSync(known, JSON.stringify(rest))
    }
    const result = await runXtest(['run', '--config', 'xtest.docker.config.json'], { cwd })
    expect(result.exitCode, result.stderr).toBe(2)
    expect(result.stderr).toMatch(
      /^xtest: container pkg: image xtest-node:test has Node v\d+\.\d+\.\d+, but the installed Vitest 5\.1\.2 needs Node >=99\.0\.0 \(its engines\.node\)/m,
    )
    expect(result.stderr).not.toMatch(/^(start|done) /m)
    expect(fs.existsSync(path.join(cwd, '.xtest/runs'))).toBe(false)
    // Asked once per image id: the answer is kept (the repo's node_modules/.cache/xtest is the nearest cache folder).
    expect(JSON.parse(fs.readFileSync(known, 'utf8'))[id!]).toMatch(/^v\d+\.\d+\.\d+$/)
  })
})

test("a write into the read-only repository: the shard's cause names the path and the `writable:` fix", async () => {
  const cwd = copy('diagnose')
  const result = await runXtest(['run', '--config', 'xtest.docker.config.json'], { cwd, env: { DIAG_CASE: 'write' } })
  leftovers.runDirOf(result.stderr, cwd)
  expect(result.exitCode, result.stderr).toBe(1)
  expect(result.stderr).toMatch(
    /^done {3}ok\.fast in [^:]+: a write to the read-only repository failed: Error: E\w+: .*'\/app\/.*coverage\/out'/m,
  )
  expect(result.stdout).toContain("hint: the repository is read-only in shards: add 'coverage/out' to the container's writable: list")
})

test("a shard whose Node lacks what Vitest's config uses (Map.groupBy on Node 20, a future method on newer ones): Vitest's own line, not 'no JUnit file'", async () => {
  const cwd = copy('diagnose')
  const result = await runXtest(['run', '--config', 'xtest.docker.config.json'], { cwd, env: { DIAG_CASE: 'groupby' } })
  leftovers.runDirOf(result.stderr, cwd)
  expect(result.exitCode, result.stderr).toBe(1)
  expect(result.stderr).toMatch(
    /^done {3}ok\.fast in [^:]+: Vitest cannot run on the shard's Node: TypeError: Map\.(groupBy|fromAFutureNode) is not a function/m,
  )
  expect(result.stdout).toContain("hint: the shard's Node")
})
