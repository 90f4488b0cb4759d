import { execa } from 'execa'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixture, repoRoot } from '../helpers/cli.js'

// xtest as a user gets it: `npm pack`, installed from the tarball into a fresh git repo, driven through `npx xtest`.
describe('the packed package in a fresh repo', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-pack-'))
  const repo = path.join(work, 'repo')
  const npx = (args: string[]) => execa('npx', ['--no-install', 'xtest', ...args], { cwd: repo, reject: false, env: { CI: 'true', NO_COLOR: '1' } })

  beforeAll(async () => {
    const packed = await execa('npm', ['pack', '--pack-destination', work], { cwd: repoRoot })
    const tarball = path.join(work, packed.stdout.trim().split('\n').at(-1)!)
    fs.cpSync(fixture('monorepo'), repo, { recursive: true, filter: (src) => !src.includes(`${path.sep}.xtest`) })
    fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'demo', private: true, type: 'module' }))
    await execa('git', ['init', '-q'], { cwd: repo })
    const vitest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/vitest/package.json'), 'utf8')).version
    await execa('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `vitest@${vitest}`], { cwd: repo })
  }, 240_000)

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

  test('ships bin, exports, types and the JSON schema', () => {
    const installed = path.join(repo, 'node_modules/xtest')
    for (const file of ['dist/cli.js', 'dist/index.js', 'dist/index.d.ts', 'dist/vitest/index.js', 'dist/vitest/index.d.ts', 'config/schema.json', 'README.md']) {
      expect(fs.existsSync(path.join(installed, file)), file).toBe(true)
    }
    expect(fs.existsSync(path.join(installed, 'src'))).toBe(false)
  })

  test('npx xtest plan --files routes the monorepo', async () => {
    const { stdout, exitCode } = await npx(['plan', '--files'])
    expect(exitCode).toBe(0)
    expect(stdout).toMatch(/optimizer\/solver\.test\.ts\s+opt\s+slow\s+include 'optimizer\/\*\*'/)
    expect(stdout).not.toMatch(/optimizer\/\S+\s+amp/)
  })

  test('npx xtest run --all --runtime local runs every shard and writes the merged report', async () => {
    const { exitCode, stderr } = await npx(['run', '--all', '--runtime', 'local'])
    expect(exitCode, stderr).toBe(0)
    const junit = fs.readFileSync(path.join(repo, '.xtest/junit.xml'), 'utf8')
    expect(junit).toContain('name="amp/superslow/app/e2e.test.ts"')
    expect(junit).toContain(`<skipped message="missing module 'opt-solver' (container opt)"`)
  })
})
