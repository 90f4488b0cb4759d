import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { repoRoot } from '../helpers/cli.js'

// Issue 13: the layering of docs/internals.md is a lint rule (biome.json, noRestrictedImports per folder). Each case
// lints one probe file, placed in a copy of the layout with the repo's biome.json, so the repo itself stays untouched.
const biome = path.join(repoRoot, 'node_modules/.bin/biome')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-layering-'))
fs.copyFileSync(path.join(repoRoot, 'biome.json'), path.join(work, 'biome.json'))
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

function lint(file: string, source: string): { exitCode: number | null; output: string } {
  const target = path.join(work, file)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  fs.writeFileSync(target, source)
  const result = spawnSync(biome, ['lint', '--colors=off', file], { cwd: work, encoding: 'utf8' })
  fs.rmSync(target)
  return { exitCode: result.status, output: `${result.stdout}${result.stderr}` }
}

describe('imports point one way: core ← config ← plan ← runtimes/report ← finish ← run ← cli', () => {
  test.each([
    ['src/plan/probe.ts', '../cli/commands/run.js', 'src/plan/ imports only core/, shared/ and config/'],
    ['src/config/probe.ts', '../plan/types.js', 'src/config/ imports only core/ and shared/'],
    ['src/report/probe.ts', '../runtimes/runtime.js', 'src/report/ imports only core/, shared/, config/ and plan/, never a runtime'],
    ['src/cli/commands/probe.ts', '../../runtimes/docker.js', 'src/cli/ reaches runtimes only through run/'],
    ['src/cli/commands/probe.ts', './plan.js', 'a command never imports another command'],
    ['src/vitest/probe.ts', '../report/index.js', 'src/vitest/ runs inside the shard and imports only core/, shared/ and Node built-ins'],
    ['src/core/probe.ts', '../shared/output.js', 'src/core/ is the vocabulary and imports nothing of ours'],
    [
      'src/report/probe.ts',
      '../finish/compose.js',
      'src/report/ imports only core/, shared/, config/ and plan/, never a runtime, finish/ or run/',
    ],
    ['src/finish/probe.ts', '../run/facade.js', 'src/finish/ sits between report/ and run/'],
    ['src/finish/steps/probe.ts', '../../run/merge-request.js', 'src/finish/ sits between report/ and run/'],
  ])('%s importing %s fails the lint', (file, specifier, why) => {
    const { exitCode, output } = lint(file, `import { x } from '${specifier}'\nexport { x }\n`)
    expect(exitCode, output).toBe(1)
    expect(output).toContain('lint/style/noRestrictedImports')
    expect(output).toContain(why)
  })

  test.each([
    ['src/plan/probe.ts', '../config/schema.js'],
    ['src/cli/commands/probe.ts', '../../run/run-plan.js'],
    ['src/vitest/probe.ts', '../core/tiers.js'],
    ['src/finish/steps/probe.ts', '../../report/index.js'],
    ['src/run/probe.ts', '../finish/compose.js'],
  ])('%s importing %s passes', (file, specifier) => {
    const { exitCode, output } = lint(file, `import { x } from '${specifier}'\nexport { x }\n`)
    expect(exitCode, output).toBe(0)
  })

  test('the repository itself passes the lint', () => {
    expect(() => execFileSync(biome, ['lint', '--colors=off'], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' })).not.toThrow()
  })
})
