// A shard's results folder is bounded (limits.shardOutput): a test that floods /xtest/out is stopped with a clear
// cause and a failing case, in Docker and with the local runtime, instead of filling the host's $TMPDIR.
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { fixture } from '../helpers/cli.js'
import { ensureEngineUser, readMergedJunit, requireEngine, runXtestAs, type TestUser, useLeftovers } from '../helpers/docker.js'

const leftovers = useLeftovers()
const cwd = fixture('output-flood')
let user: TestUser | null

beforeAll(async () => {
  await requireEngine()
  user = await ensureEngineUser('xtestuser')
  // The user writes its run folders into the fixture's output folder.
  fs.mkdirSync(path.join(cwd, '.xtest'), { recursive: true })
  if (user) fs.chownSync(path.join(cwd, '.xtest'), user.uid, user.gid)
})

for (const runtime of ['docker', 'local'] as const) {
  test(`${runtime}: a shard that writes past limits.shardOutput is stopped, with the cause, and the run is red`, async () => {
    const started = Date.now()
    const result = await runXtestAs(runtime === 'docker' ? user : null, ['run', '--runtime', runtime], { cwd })
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(1)
    // Stopped after ~8 MiB: long before the test's 64 writes and its 5 s wait were over.
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(result.stdout).toMatch(/over its limit of 8\.0 MiB \(limits\.shardOutput\)/)
    const runDir = leftovers.runDirOf(result.stderr, cwd)
    const merged = readMergedJunit(path.join(runDir, 'junit.xml'))
    expect(merged.cases.some((c) => c.status === 'error' && /limits\.shardOutput/.test(c.message ?? ''))).toBe(true)
  }, 120_000)
}
