import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, describe, expect, test } from 'vitest'
import { repoRoot, runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'
import { makeProject, readJUnitFile, removeProjects, runShard } from '../helpers/vitest-support/shard-runner.js'

// Vitest 5 changes that xtest follows. .ci/run runs this file on Vitest 4.1 (Node 20) and on Vitest 5 + Vite 8.4
// (Node 24): each test holds on both, and fails on Vitest 5 without its fix.
const vitestMajor = Number(
  JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/vitest/package.json'), 'utf8')).version.split('.')[0],
)
const vitestEntry = path.join(repoRoot, 'node_modules/vitest/vitest.mjs')
afterAll(removeProjects)

describe('a shard that cannot write node_modules (read-only, as in a Docker shard)', () => {
  test('loads a TypeScript config (bundle loader, its temp file in the shard folder) and warns about no cache or loader', async () => {
    const project = makeProject('vitest-tiers')
    const run = await runShard(project, { container: 'amp', tier: 'fast', files: ['tests/tiers.test.ts'], readOnlyNodeModules: true })
    const output = run.stdout + run.stderr
    // Vitest 5.1: "fsModuleCache is enabled, but its directory ... could not be created (EROFS...)";
    // Vite 8.4: "The `runner` config loader is deprecated"; the bundle loader without a writable node_modules: EROFS.
    expect(output).not.toMatch(/fsModuleCache|could not be created|deprecated|EROFS|EACCES/)
    expect(fs.existsSync(path.join(run.shardDir, 'node_modules/.vite-temp')), output).toBe(true)
    const { cases } = readJUnitFile(run.junitPath)
    expect(cases.map((c) => c.name)).toContain('fast one')
  }, 120_000)
})

describe('the Vitest config of a workdir below the one that has it', () => {
  const copyFixture = useTempFixtures()
  const dir = copyFixture('vitest-config-parent')
  const rootConfigLine = (text: string) => /ROOT_CONFIG=(\w+)/.exec(text)?.[1]

  test("a shard uses the config plain `vitest run` in that workdir uses (Vitest 5: not the parent's)", async () => {
    const plain = await execa('node', [vitestEntry, 'run'], { cwd: path.join(dir, 'pkg'), reject: false, env: { NO_COLOR: '1' } })
    expect(rootConfigLine(plain.stdout), plain.stdout + plain.stderr).toBe(vitestMajor >= 5 ? 'none' : 'yes')
    const run = await runXtest(['run', '--all'], { cwd: dir })
    expect(run.exitCode, run.stderr).toBe(0)
    const runDir = /\(run folder (.+?)\)\s*$/m.exec(run.stderr)?.[1]
    const log = fs.readFileSync(path.join(dir, runDir!, 'pkg.fast/output.log'), 'utf8')
    expect(rootConfigLine(log), log).toBe(rootConfigLine(plain.stdout))
  }, 120_000)

  test('xtest plan says so where Vitest 5 and Vitest 4 would pick different configs', async () => {
    const { stderr, exitCode } = await runXtest(['plan'], { cwd: dir })
    expect(exitCode, stderr).toBe(0)
    const note = `xtest: warning: container pkg: Vitest ${vitestMajor} does not look for its config in parent folders: its shards in pkg run without vitest.config.mjs (Vitest 4 used it); add a vitest.config.* there (it may extend the other) or set the container's workdir to .`
    if (vitestMajor >= 5) expect(stderr.split('\n')).toContain(note)
    else expect(stderr).not.toContain('parent folders')
  })
})
