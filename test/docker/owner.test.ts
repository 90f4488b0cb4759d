// Files a shard writes into the repository belong to the user who ran xtest.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { copyFixtureIntoRepo, ensureEngineUser, Leftovers, readShard, requireEngine, runXtestAs, type TestUser } from '../helpers/docker.js'

const leftovers = new Leftovers()
let user: TestUser | null
let cwd: string

beforeAll(async () => {
  await requireEngine()
  // As root (CI): a non-root user with access to the engine socket runs xtest. Otherwise: we are that user.
  user = await ensureEngineUser('xtestuser')
  // A copy inside the repository (mounted at /app) that the user owns: fixtures/.tmp-owner-<random>/.
  cwd = copyFixtureIntoRepo('docker-writes-files', 'owner')
  if (user) await fs.promises.chown(cwd, user.uid, user.gid).then(() => chownTree(cwd, user!))
})
beforeEach(({ onTestFailed }) =>
  onTestFailed(() => {
    leftovers.failed = true
  }),
)
afterAll(async () => {
  await leftovers.expectNoLeftovers()
  // Kept when the test failed, to look at (fixtures/.tmp-*/ is git-ignored); XTEST_KEEP_RUNS keeps it too.
  if (cwd && !leftovers.failed && !process.env.XTEST_KEEP_RUNS) fs.rmSync(cwd, { recursive: true, force: true })
})

function chownTree(dir: string, owner: TestUser): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    fs.chownSync(p, owner.uid, owner.gid)
    if (entry.isDirectory()) chownTree(p, owner)
  }
}

test('a file written by a shard into its own folder is owned by the invoking (non-root) user', async () => {
  const uid = user?.uid ?? process.getuid!()
  const gid = user?.gid ?? process.getgid!()
  const result = await runXtestAs(user, ['run', '--runtime', 'docker'], { cwd })
  expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0)
  const dir = leftovers.runDirOf(result.stderr, cwd)
  expect(readShard(dir, 'writer.fast')).toMatchObject({ runtime: 'docker', exitCode: 0 })

  const written = path.join(cwd, 'out/written.txt')
  const stat = fs.statSync(written)
  expect({ uid: stat.uid, gid: stat.gid }).toEqual({ uid, gid })
  // The process inside the container ran as that user too (it wrote its own ids).
  expect(fs.readFileSync(written, 'utf8')).toBe(`${uid}:${gid}\n`)
  // So did everything the shard wrote into the run folder (its JUnit is written inside the container).
  expect(fs.statSync(path.join(dir, 'writer.fast/junit.xml')).uid).toBe(uid)
  fs.rmSync(path.join(cwd, 'out'), { recursive: true, force: true })
})
