// GitHub annotations name files relative to the repository root, whatever folder holds the xtest config, in
// `xtest run` and in `xtest merge` alike (GitHub looks the path up from the repository root).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { fixture, repoRoot, runXtest } from '../helpers/cli.js'

const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-annotations-')))
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

// A repository whose xtest project lives in pkg/ (fixtures/local-failures: src/math.test.ts has failing tests).
const pkg = path.join(work, 'repo', 'pkg')
fs.cpSync(fixture('local-failures'), pkg, { recursive: true, filter: (src) => !/[/\\](node_modules|\.xtest)$/.test(src) })
fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(pkg, 'node_modules'))
execFileSync('git', ['init', '-q'], { cwd: path.join(work, 'repo') })
execFileSync('git', ['add', '.'], { cwd: path.join(work, 'repo') })

const github = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: '' }
const fileOf = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('::error file='))
    .map((line) => /^::error file=([^,]*)/.exec(line)![1]!)

test('xtest run and xtest merge annotate with repository-root paths when the config is in a subfolder', async () => {
  const run = await runXtest(['run', '--runtime', 'local', '--no-cache'], { cwd: pkg, env: github })
  expect(run.exitCode, run.stderr).toBe(1)
  const files = fileOf(run.stdout)
  expect(files.length).toBeGreaterThan(0)
  expect(new Set(files)).toEqual(new Set(['pkg/src/math.test.ts']))

  const merged = await runXtest(['merge', '.xtest/junit.xml', '-o', path.join(work, 'merged.xml')], { cwd: pkg, env: github })
  expect(merged.exitCode, merged.stderr).toBe(1)
  expect(fileOf(merged.stdout)).toEqual(files)

  // Not on GitHub Actions: no annotation at all.
  const plain = await runXtest(['merge', '.xtest/junit.xml', '-o', path.join(work, 'merged2.xml')], { cwd: pkg })
  expect(plain.stdout).not.toContain('::error')
})
