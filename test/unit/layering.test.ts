import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { repoRoot } from '../helpers/cli.js'

// The layering of docs/internals.md is a lint rule (biome.json, noRestrictedImports per folder). Each case
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

describe('imports point one way: core ← shared ← store ← config ← plan ← runtimes/report ← finish ← run ← cli', () => {
  test.each([
    ['src/plan/probe.ts', '../cli/commands/run.js', 'src/plan/ imports only core/, shared/, store/ and config/'],
    ['src/config/probe.ts', '../plan/types.js', 'src/config/ imports only core/, shared/ and store/'],
    ['src/store/probe.ts', '../config/resolve.js', 'src/store/ imports only core/ and shared/'],
    ['src/store/probe.ts', '../plan/types.js', 'src/store/ imports only core/ and shared/'],
    ['src/store/probe.ts', '../run/cache/result-cache.js', 'src/store/ imports only core/ and shared/'],
    ['src/shared/probe.ts', '../store/files.js', 'src/shared/ imports only core/'],
    ['src/report/probe.ts', '../runtimes/runtime.js', 'src/report/ imports only core/, shared/, store/, config/ and plan/'],
    ['src/cli/commands/probe.ts', '../../runtimes/docker.js', 'src/cli/ reaches runtimes only through run/'],
    ['src/cli/commands/probe.ts', './plan.js', 'a command never imports another command'],
    ['src/vitest/probe.ts', '../report/index.js', 'src/vitest/ runs inside the shard and imports only core/, shared/ and Node built-ins'],
    ['src/core/probe.ts', '../shared/output.js', 'src/core/ is the vocabulary and imports nothing of ours'],
    ['src/run/probe.ts', '../runtimes/engine-client.js', 'src/run/ makes no engine calls'],
    ['src/run/cache/probe.ts', '../../runtimes/docker-calls.js', 'src/run/ makes no engine calls'],
    [
      'src/report/probe.ts',
      '../finish/compose.js',
      'src/report/ imports only core/, shared/, store/, config/ and plan/, never a runtime, finish/ or run/',
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
    ['src/plan/probe.ts', '../store/timings.js'],
    ['src/config/probe.ts', '../store/files.js'],
    ['src/store/probe.ts', '../shared/write-output.js'],
    ['src/cli/commands/probe.ts', '../../run/run-plan.js'],
    ['src/vitest/probe.ts', '../core/tiers.js'],
    ['src/run/probe.ts', '../runtimes/runtime.js'],
    ['src/finish/steps/probe.ts', '../../report/index.js'],
    ['src/finish/steps/probe.ts', '../../store/history.js'],
    ['src/run/probe.ts', '../finish/compose.js'],
  ])('%s importing %s passes', (file, specifier) => {
    const { exitCode, output } = lint(file, `import { x } from '${specifier}'\nexport { x }\n`)
    expect(exitCode, output).toBe(0)
  })

  // Packages too: core/ is plain data and Node, vitest/ is loaded inside the user's Vitest, where only Vitest (and
  // semver) can be counted on.
  test.each([
    ['src/core/probe.ts', 'zod', 'src/core/ imports no package, only Node built-ins'],
    ['src/core/probe.ts', 'fs', 'src/core/ imports no package, only Node built-ins'],
    ['src/vitest/probe.ts', 'execa', "src/vitest/ runs inside the user's Vitest and imports only vitest, semver and Node built-ins"],
    ['src/vitest/probe.ts', '@balena/dockerignore', "src/vitest/ runs inside the user's Vitest and imports only vitest, semver"],
    ['src/vitest/probe.ts', 'vitest-xtest', "src/vitest/ runs inside the user's Vitest and imports only vitest, semver"],
  ])('%s importing the package %s fails the lint', (file, specifier, why) => {
    const { exitCode, output } = lint(file, `import { x } from '${specifier}'\nexport { x }\n`)
    expect(exitCode, output).toBe(1)
    expect(output).toContain('lint/style/noRestrictedImports')
    expect(output).toContain(why)
  })

  test.each([
    ['src/core/probe.ts', 'node:path'],
    ['src/core/probe.ts', './tiers.js'],
    ['src/vitest/probe.ts', 'vitest/node'],
    ['src/vitest/probe.ts', 'vitest'],
    ['src/vitest/probe.ts', 'semver'],
    ['src/vitest/probe.ts', 'node:fs'],
    ['src/config/probe.ts', 'zod'],
  ])('%s importing %s passes', (file, specifier) => {
    const { exitCode, output } = lint(file, `import { x } from '${specifier}'\nexport { x }\n`)
    expect(exitCode, output).toBe(0)
  })

  test('imports out of order fail `biome check` (`npm run format` sorts them)', () => {
    const target = path.join(work, 'src/plan/probe.ts')
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, "import path from 'node:path'\nimport fs from 'node:fs'\nexport { fs, path }\n")
    const result = spawnSync(biome, ['check', '--colors=off', 'src/plan/probe.ts'], { cwd: work, encoding: 'utf8' })
    fs.rmSync(target)
    expect(result.status, result.stdout + result.stderr).toBe(1)
    expect(result.stdout + result.stderr).toContain('assist/source/organizeImports')
  })

  test('the repository itself passes the lint', () => {
    expect(() => execFileSync(biome, ['lint', '--colors=off'], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' })).not.toThrow()
  })
})
