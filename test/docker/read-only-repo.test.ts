// The repository is read-only to every shard, in CI and locally: a test that could write it could plant code the host
// runs later (the xtest config on the next `xtest plan`, package.json scripts, hooks, .envrc). And the mount root is
// never a folder above the project that does not track it (a dotfiles home). Run as a docker-group user who owns
// the files, so that only the mounts stand in the way.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { repoRoot } from '../helpers/cli.js'
import { copyFixtureIntoRepo, ensureEngineUser, requireEngine, runXtestAs, type TestUser, useLeftovers } from '../helpers/docker.js'

const leftovers = useLeftovers()
let user: TestUser | null
const made: string[] = []

beforeAll(async () => {
  await requireEngine()
  user = await ensureEngineUser('xtestuser')
})
afterAll(() => {
  if (!leftovers.failed && !process.env.XTEST_KEEP_RUNS) for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})

const own = (dir: string) => {
  if (user) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir])
}
const snapshot = (dir: string) =>
  Object.fromEntries(
    ['xtest.config.mjs', 'xtest.base.mjs', 'package.json', '.envrc', '.husky/pre-commit', 'src/value.ts', 'out/package.json'].map((f) => [
      f,
      fs.readFileSync(path.join(dir, f), 'utf8'),
    ]),
  )

test('locally (CI unset) a shard cannot write the config, its imports, package.json, hooks, .envrc or sources; only writable folders', async () => {
  const cwd = copyFixtureIntoRepo('docker-read-only', 'read-only')
  made.push(cwd)
  own(cwd)
  const before = snapshot(cwd)
  const result = await runXtestAs(user, ['run', '--runtime', 'docker'], { cwd, env: { CI: '' } })
  expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0)
  leftovers.runDirOf(result.stderr, cwd)
  expect(snapshot(cwd)).toEqual(before)
  expect(fs.existsSync(path.join(cwd, 'planted.txt'))).toBe(false)
  expect(fs.existsSync(path.join(cwd, '../planted-above.txt'))).toBe(false)
  expect(fs.readFileSync(path.join(cwd, 'out/result.txt'), 'utf8')).toBe('ok\n')
  expect(fs.readFileSync(path.join(cwd, 'gen/a/result.txt'), 'utf8')).toBe('ok\n')
  // Vitest's `.vitest/` was the shard's own scratch folder: nothing landed in the repository.
  expect(fs.readdirSync(path.join(cwd, '.vitest'))).toEqual([])

  // With -u among Vitest's arguments, the snapshot folders of the shard's files become writable.
  const update = await runXtestAs(user, ['run', '--runtime', 'docker', '--', '-u'], { cwd, env: { CI: '', UPDATING: '1' } })
  expect(update.exitCode, `${update.stdout}\n${update.stderr}`).toBe(0)
  leftovers.runDirOf(update.stderr, cwd)
  expect(snapshot(cwd)).toEqual(before)
}, 180_000)

test('a project without .git in a dotfiles home that does not track it: only the project is mounted, never the home', async () => {
  const home = fs.mkdtempSync(path.join(repoRoot, 'fixtures', '.tmp-home-'))
  made.push(home)
  fs.writeFileSync(path.join(home, '.bashrc'), 'alias ll="ls -l"\n')
  fs.mkdirSync(path.join(home, '.ssh'))
  fs.writeFileSync(path.join(home, '.ssh/id_ed25519'), 'PRIVATE KEY\n')
  execFileSync('git', ['-C', home, 'init', '-q'])
  execFileSync('git', ['-C', home, 'add', '.bashrc'])
  execFileSync('git', ['-C', home, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'dotfiles'])
  const cwd = path.join(home, 'proj')
  fs.cpSync(path.join(repoRoot, 'fixtures/docker-read-only'), cwd, { recursive: true })
  // Only the project is mounted: it needs its own node_modules (hard links: quick, and the same files).
  execFileSync('cp', ['-al', path.join(repoRoot, 'node_modules'), path.join(cwd, 'node_modules')])
  own(home)
  const result = await runXtestAs(user, ['run', '--runtime', 'docker'], { cwd, env: { CI: '' } })
  expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0)
  leftovers.runDirOf(result.stderr, cwd)
  expect(fs.readFileSync(path.join(home, '.bashrc'), 'utf8')).toBe('alias ll="ls -l"\n')
  expect(fs.existsSync(path.join(home, 'planted-above.txt'))).toBe(false)
  const plan = await runXtestAs(user, ['plan'], { cwd, env: { CI: '' } })
  expect(plan.stderr).toContain(`docker shards see ${fs.realpathSync(cwd)} at /app`)
}, 180_000)
