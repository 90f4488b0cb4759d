import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { groupIssues } from '../../src/plan/group-issues.js'
import type { PlanIssueCode } from '../../src/plan/types.js'
import { repoRoot, runXtest } from '../helpers/cli.js'

// Edges of planning that were silent or noisy.
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

/** A project in a temp dir from a map of files (node_modules linked). */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-edges-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), text)
  }
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'))
  return dir
}
const passing = "import { test } from 'vitest'\ntest('ok', () => {})\n"

describe('glob typo noise', () => {
  test('a one-character glob typo is one line per cause, with a count and examples, not one per file', async () => {
    const files: Record<string, string> = {
      'xtest.config.json': JSON.stringify({
        containers: { app: { runtime: 'local', include: ['src/**'] }, opt: { runtime: 'local', include: ['optimiser/**'] } },
      }),
      'src/a.test.ts': passing,
    }
    for (let i = 0; i < 77; i++) files[`optimizer/t${String(i).padStart(2, '0')}.test.ts`] = passing
    const dir = project(files)
    for (const args of [['plan'], ['run']]) {
      const { stderr, exitCode } = await runXtest(args, { cwd: dir })
      expect(exitCode).toBe(2)
      const lines = stderr
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('xtest: warning:'))
      expect(lines).toEqual([
        "xtest: 77 test files: routed to no container (app: not in include 'src/**'; opt: not in include 'optimiser/**'); add it to a container's include or pin it with /** @xtest-container NAME */ (e.g. optimizer/t00.test.ts, optimizer/t01.test.ts, optimizer/t02.test.ts and 74 more)",
      ])
      expect(stderr).toContain("xtest: warning: containers.opt.include[0]: 'optimiser/**' matches no test file")
    }
  })

  test('grouping keeps distinct causes apart and single files as they were', () => {
    const issue = (file: string, problem: string, code: PlanIssueCode = 'XTEST_FILE_UNASSIGNED') => ({
      code,
      file,
      message: `${file}: ${problem}`,
    })
    expect(
      groupIssues([issue('a', 'p1'), issue('b', 'p2'), issue('c', 'p1'), { code: 'XTEST_NO_TEST_FILES', message: 'no file' }]),
    ).toEqual(['2 test files: p1 (e.g. a, c)', 'b: p2', 'no file'])
  })
})

describe('odd files and limits', () => {
  const config = (extra: object = {}) => JSON.stringify({ containers: { app: { runtime: 'local' } }, ...extra })

  test('a test file that is a symlink is planned and run, as plain Vitest runs it; a symlink to a FIFO is not read', async () => {
    const dir = project({ 'xtest.config.json': config(), 'src/a.test.ts': passing, 'shared/real.ts': passing })
    fs.symlinkSync('../shared/real.ts', path.join(dir, 'src/linked.test.ts'))
    fs.mkdirSync(path.join(dir, 'pipes'))
    execFileSync('mkfifo', [path.join(dir, 'pipes/fifo')])
    fs.symlinkSync('../pipes/fifo', path.join(dir, 'src/fifo.test.ts'))
    const plan = await runXtest(['plan', '--json'], { cwd: dir, timeout: 30_000 })
    expect(plan.exitCode, plan.stderr).toBe(0)
    expect(JSON.parse(plan.stdout).shards[0].files).toEqual(['src/a.test.ts', 'src/linked.test.ts'])
    expect(plan.stderr).toContain('xtest: warning: src/fifo.test.ts: not planned: a symlink to something that is not a regular file')
    fs.rmSync(path.join(dir, 'src/fifo.test.ts'))
    const run = await runXtest(['run'], { cwd: dir })
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/2 passed/)
  })

  test('include globs matching nothing: run exits 1 with one line (as Vitest), unless --passWithNoTests; plan warns', async () => {
    const dir = project({ 'xtest.config.json': config({ include: ['tests/**/*.test.ts'] }), 'src/a.test.ts': passing })
    const run = await runXtest(['run'], { cwd: dir })
    expect(run.exitCode).toBe(1)
    expect(run.stderr.trim()).toBe(
      "xtest: no test files matched include 'tests/**/*.test.ts' (relative to the config file); pass --passWithNoTests to accept that",
    )
    expect(fs.existsSync(path.join(dir, '.xtest'))).toBe(false)
    for (const args of [
      ['run', '--passWithNoTests'],
      ['run', '--', '--passWithNoTests'],
    ]) {
      const passed = await runXtest(args, { cwd: dir })
      expect(passed.exitCode, passed.stderr).toBe(0)
    }
    const plan = await runXtest(['plan'], { cwd: dir })
    expect(plan.exitCode).toBe(0)
    expect(plan.stderr).toContain("xtest: warning: no test files matched include 'tests/**/*.test.ts'")
  })

  test('--changed=--output=FILE never reaches git as an option', async () => {
    const dir = project({ 'xtest.config.json': config(), 'src/a.test.ts': passing })
    execFileSync('git', ['init', '-q'], { cwd: dir })
    for (const command of ['plan', 'run']) {
      const result = await runXtest([command, '--changed=--output=pwned.txt'], { cwd: dir })
      expect(result.exitCode).toBe(2)
      expect(result.stderr.trim()).toBe("xtest: --changed expects a git ref, got '--output=pwned.txt'")
    }
    expect(fs.existsSync(path.join(dir, 'pwned.txt'))).toBe(false)
  })

  test('a hanging git is stopped at limits.gitTimeout: exit 3 naming it', async () => {
    const dir = project({
      'xtest.config.json': config({ limits: { gitTimeout: '1s' } }),
      'src/a.test.ts': passing,
      'bin/git': '#!/bin/sh\nsleep 60\n',
    })
    fs.chmodSync(path.join(dir, 'bin/git'), 0o755)
    const started = Date.now()
    const result = await runXtest(['plan', '--changed'], { cwd: dir, env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` } })
    expect(result.exitCode).toBe(3)
    expect(result.stderr.trim()).toBe('xtest: git rev-parse did not finish in 1.0s (limits.gitTimeout in the xtest config)')
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  test('an engine that accepts the connection and never answers: exit 3, and xtest is gone within seconds', async () => {
    const dir = project({ 'xtest.config.json': JSON.stringify({ containers: { app: { image: 'never:1' } } }), 'src/a.test.ts': passing })
    const socket = path.join(dir, 'mute.sock')
    const held: net.Socket[] = []
    const server = net.createServer((connection) => {
      held.push(connection)
    }) // accepts, reads nothing, answers nothing
    await new Promise<void>((resolve) => server.listen(socket, resolve))
    try {
      const started = Date.now()
      const result = await runXtest(['run', '--runtime', 'docker'], {
        cwd: dir,
        env: { DOCKER_HOST: `unix://${socket}` },
        timeout: 100_000,
      })
      expect(result.exitCode, result.stderr).toBe(3)
      expect(result.stderr.trim()).toMatch(
        /^xtest: container app: container engine at unix:\/\/\S+mute\.sock is unreachable: no answer in 3000 ms$/m,
      )
      expect(Date.now() - started).toBeLessThan(30_000)
    } finally {
      for (const connection of held) connection.destroy()
      server.close()
    }
  })
})
