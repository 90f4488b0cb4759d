import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixture, repoRoot, runXtest } from '../helpers/cli.js'

const GIT_ENV = { GIT_AUTHOR_NAME: 'x', GIT_AUTHOR_EMAIL: 'x@example.com', GIT_COMMITTER_NAME: 'x', GIT_COMMITTER_EMAIL: 'x@example.com' }
const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd, env: GIT_ENV })
const dirs: string[] = []

// A committed copy of fixtures/scale-changed in its own git repository (node_modules linked, ignored).
async function makeRepo(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-changed-'))
  dirs.push(dir)
  fs.cpSync(fixture('scale-changed'), dir, { recursive: true })
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'))
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n.xtest\n')
  await git(dir, 'init', '-q')
  await git(dir, 'add', '-A')
  await git(dir, 'commit', '-qm', 'initial')
  return dir
}

async function selected(dir: string, ...args: string[]): Promise<{ files: string[]; stderr: string }> {
  const { stdout, stderr, exitCode } = await runXtest(['plan', '--json', ...args], { cwd: dir })
  expect(exitCode, stderr).toBe(0)
  const plan = JSON.parse(stdout) as { shards: Array<{ container: string; files: string[] }> }
  return { files: plan.shards.flatMap((s) => s.files.map((f) => `${s.container} ${f}`)).sort(), stderr }
}

const touch = (dir: string, file: string) => fs.appendFileSync(path.join(dir, file), '\n// touched\n')

let repo: string
beforeAll(async () => {
  repo = await makeRepo()
})
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

describe('xtest plan --changed in a git repository', () => {
  test('nothing changed selects nothing', async () => {
    const { files, stderr } = await selected(repo, '--changed')
    expect(files).toEqual([])
    expect(stderr).toContain('xtest: --changed HEAD: 0 changed files select 0 of 4 test files')
  })

  test('touching one source file selects only the tests that import it', async () => {
    const dir = await makeRepo()
    touch(dir, 'src/math.ts')
    expect((await selected(dir, '--changed')).files).toEqual(['amp src/math.test.ts'])
  })

  test('a transitive import (strings.test → strings → util/index) counts', async () => {
    const dir = await makeRepo()
    touch(dir, 'src/util/index.ts')
    expect((await selected(dir, '--changed')).files).toEqual(['amp src/strings.test.ts'])
  })

  test("touching opt's Dockerfile selects all of opt's files and none of amp's", async () => {
    const dir = await makeRepo()
    touch(dir, 'docker/opt/Dockerfile')
    const { files, stderr } = await selected(dir, '--changed')
    expect(files).toEqual(['opt opt/other.test.ts', 'opt opt/solve.test.ts'])
    expect(stderr).toContain('(its Dockerfile docker/opt/Dockerfile changed)')
  })

  test('a change to the xtest config selects every file', async () => {
    const dir = await makeRepo()
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'xtest.config.json'), 'utf8'))
    config.tiers = { fast: { timeout: '3m' } }
    fs.writeFileSync(path.join(dir, 'xtest.config.json'), JSON.stringify(config))
    expect((await selected(dir, '--changed')).files).toHaveLength(4)
  })

  test('an untracked test file and a dynamic import count; --changed REF compares with a commit', async () => {
    const dir = await makeRepo()
    fs.writeFileSync(path.join(dir, 'src/new.test.ts'), "import { test } from 'vitest'\ntest('new', () => {})\n")
    touch(dir, 'opt/solve.ts')
    expect((await selected(dir, '--changed')).files).toEqual(['amp src/new.test.ts', 'opt opt/solve.test.ts'])
    await git(dir, 'add', '-A')
    await git(dir, 'commit', '-qm', 'second')
    expect((await selected(dir, '--changed')).files).toEqual([])
    expect((await selected(dir, '--changed', 'HEAD~1')).files).toEqual(['amp src/new.test.ts', 'opt opt/solve.test.ts'])
  })

  test('outside a git repository --changed is exit 2 with one line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-nogit-'))
    dirs.push(dir)
    fs.cpSync(fixture('scale-changed'), dir, { recursive: true })
    const { stderr, exitCode } = await runXtest(['plan', '--changed'], { cwd: dir })
    expect(exitCode).toBe(2)
    expect(stderr.trim()).toMatch(/^xtest: --changed needs a git repository at .*: fatal: not a git repository/)
  })
})

describe('xtest run --changed', () => {
  test('runs only the tests of the touched source file', async () => {
    const dir = await makeRepo()
    touch(dir, 'src/math.ts')
    const { exitCode, stderr } = await runXtest(['run', '--changed', '--runtime', 'local'], { cwd: dir })
    expect(exitCode, stderr).toBe(0)
    const junit = fs.readFileSync(path.join(dir, '.xtest/junit.xml'), 'utf8')
    expect([...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual(['amp/fast/src/math.test.ts'])
  })
})
