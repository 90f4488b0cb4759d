// Hostile test code against the host, as root in CI and as a non-root user locally. The
// forger shard swaps its result files for links to host files and a FIFO, kills its runner, rewrites the victim
// shard's finished report and plants code in .git and node_modules. None of it may reach the host or the report.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import {
  copyFixtureIntoRepo,
  ensureEngineUser,
  Leftovers,
  readMergedJunit,
  requireEngine,
  runXtestAs,
  type TestUser,
} from '../helpers/docker.js'

const leftovers = new Leftovers()
let user: TestUser | null
let cwd: string
let canary: string
const secret = `TOPSECRET-${crypto.randomBytes(6).toString('hex')}`
const earlier = `EARLIER-RUN-${crypto.randomBytes(6).toString('hex')}`

beforeAll(async () => {
  await requireEngine()
  user = await ensureEngineUser('xtestuser')
  cwd = copyFixtureIntoRepo('docker-hostile', 'hostile')
  // What the forger aims at inside the repo: a nested repository's hooks and an installed package.
  fs.mkdirSync(path.join(cwd, 'vendor/lib/.git/hooks'), { recursive: true })
  fs.mkdirSync(path.join(cwd, 'node_modules/planted'), { recursive: true })
  fs.writeFileSync(path.join(cwd, 'node_modules/planted/index.js'), 'export default 1\n')
  // Writable by anyone: only the mounts, not file modes, may stop the forger (as root it runs as nobody).
  chmodTree(cwd)
  if (user) chownTree(cwd, user)
  canary = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-canary-'))
  fs.chmodSync(canary, 0o755)
  fs.writeFileSync(path.join(canary, 'rc'), '# a shell rc file\n')
  fs.writeFileSync(path.join(canary, 'secret'), `${secret}\n`, { mode: 0o600 })
}, 120_000)
beforeEach(({ onTestFailed }) =>
  onTestFailed(() => {
    leftovers.failed = true
  }),
)
afterAll(async () => {
  await leftovers.expectNoLeftovers()
  if (canary) fs.rmSync(canary, { recursive: true, force: true })
  if (cwd && !leftovers.failed && !process.env.XTEST_KEEP_RUNS) fs.rmSync(cwd, { recursive: true, force: true })
})

function chmodTree(dir: string): void {
  fs.chmodSync(dir, 0o777)
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) chmodTree(p)
    else fs.chmodSync(p, 0o666)
  }
}

function chownTree(dir: string, owner: TestUser): void {
  fs.chownSync(dir, owner.uid, owner.gid)
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) chownTree(p, owner)
    else fs.chownSync(p, owner.uid, owner.gid)
  }
}

function everyFile(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
}

async function attack(as: TestUser | null, env: Record<string, string>) {
  const config = fs.readFileSync(path.join(cwd, 'xtest.config.json'), 'utf8')
  // What an earlier run left: its logs may hold anything its tests printed.
  const old = path.join(cwd, '.xtest/runs/20200101-000000-0000/victim.fast')
  fs.mkdirSync(old, { recursive: true })
  fs.writeFileSync(path.join(old, 'output.log'), `${earlier}\n`)
  if (as) chownTree(path.join(cwd, '.xtest'), as)
  const started = Date.now()
  const result = await runXtestAs(as, ['run', '--runtime', 'docker', '--concurrency', '1'], {
    cwd,
    env: { HOSTILE_CANARY: canary, ...env },
    timeout: 240_000,
  })
  const seconds = (Date.now() - started) / 1000
  const output = `${result.stdout}\n${result.stderr}`
  const runDir = leftovers.runDirOf(result.stderr, cwd)
  const configChanged = fs.readFileSync(path.join(cwd, 'xtest.config.json'), 'utf8') !== config
  fs.writeFileSync(path.join(cwd, 'xtest.config.json'), config)
  return { result, output, seconds, runDir, configChanged }
}

// Each attack starts from a repo without run folders (the next user could not write root's).
function forget(_run: Awaited<ReturnType<typeof attack>>): void {
  fs.rmSync(path.join(cwd, '.xtest'), { recursive: true, force: true })
}

function expectNothingReachedTheHost(run: Awaited<ReturnType<typeof attack>>): void {
  // 4: the FIFO did not hang the host; the run ended with a red report.
  expect(run.result.exitCode, run.output).toBe(1)
  expect(run.seconds).toBeLessThan(200)
  // 1: nothing was written through the shard.json link into the host file.
  expect(fs.readFileSync(path.join(canary, 'rc'), 'utf8')).toBe('# a shell rc file\n')
  // 2: the secret is in no file of the run (merged report, logs, shard records) nor in xtest's output.
  expect(run.output).not.toContain(secret)
  for (const file of [...everyFile(run.runDir), path.join(cwd, '.xtest/junit.xml')]) {
    expect(fs.readFileSync(file, 'utf8'), file).not.toContain(secret)
  }
  // The output folder is hidden from shards: what earlier runs left is not read into this run.
  for (const file of everyFile(run.runDir)) expect(fs.readFileSync(file, 'utf8'), file).not.toContain(earlier)
  // 3: the victim's failure survives the forgery, with its message.
  const merged = readMergedJunit(path.join(run.runDir, 'junit.xml'))
  const victim = merged.cases.find((c) => c.name === 'fails on purpose')
  expect(victim, JSON.stringify(merged.cases)).toMatchObject({ status: 'failed' })
  expect(victim!.message).toContain('a failure nobody may hide')
  expect(merged.suites.find((s) => s.name.startsWith('victim/'))?.properties.status).toBe('failed')
  // 5: no git hook planted, no installed package patched.
  expect(fs.existsSync(path.join(cwd, 'vendor/lib/.git/hooks/post-checkout'))).toBe(false)
  expect(fs.readFileSync(path.join(cwd, 'node_modules/planted/index.js'), 'utf8')).toBe('export default 1\n')
  // No exchange folder of the run is left behind.
  expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('xtest-') && name.includes('-forger.fast-'))).toEqual([])
}

describe('a hostile shard', () => {
  test('as root in CI (repo read-only): nothing of the host is reached, nothing forged, the config untouched', async () => {
    const run = await attack(null, { CI: 'true' })
    expectNothingReachedTheHost(run)
    expect(run.configChanged).toBe(false)
    forget(run)
  }, 300_000)

  test("as a non-root user locally: the repo is read-only there too, the config untouched, results still the host's", async () => {
    const run = await attack(user, { CI: '' })
    expectNothingReachedTheHost(run)
    // Locally as in CI: a config a test could rewrite would run on the host at the next `xtest plan`.
    expect(run.configChanged).toBe(false)
    forget(run)
  }, 300_000)
})
