import { describe, expect, test } from 'vitest'
import {
  esmPackage,
  type FakeModules,
  readJUnitFile,
  runPlainVitest,
  runShard,
  schemaErrors,
  useProjects,
} from '../helpers/vitest-support/shard-runner.js'

const makeProject = useProjects()

const files = ['guarded.test.ts', 'guarded-loader.test.ts', 'broken-dep.test.ts', 'throws.test.ts', 'unguarded.test.ts']
const installed: FakeModules = {
  'has-broken-dep': esmPackage('has-broken-dep', '1.0.0', "import 'not-installed-dep'\nexport const x = 1\n"),
  'throws-on-load': esmPackage('throws-on-load', '1.0.0', "throw new Error('boom while loading')\n"),
}
const optSolver = (version: string): FakeModules => ({
  'opt-solver': esmPackage('opt-solver', version, 'export function solve(x) { return 2 * x }\n'),
})

async function runGuards(modules: FakeModules, provides: string[] = []) {
  const run = await runShard(makeProject('vitest-guards', modules), { container: 'amp', tier: 'fast', files, provides })
  expect(await schemaErrors(run.junitPath)).toBe('')
  const cases = readJUnitFile(run.junitPath).cases
  return { run, byName: (name: string) => cases.filter((c) => c.name === name || c.suite === name) }
}

const missing = "missing module 'opt-solver' (container amp)"

describe('importOrSkip in a shard', () => {
  test('a missing module skips every test of the file with the reason, before its hooks run', async () => {
    const { byName } = await runGuards(installed)
    expect(byName('guarded.test.ts').map((c) => [c.name, c.status, c.message])).toEqual([
      ['solves', 'skipped', missing],
      ['nested > inner', 'skipped', missing],
    ])
    expect(byName('guarded-loader.test.ts').map((c) => [c.status, c.message])).toEqual([['skipped', missing]])
    expect(byName('unguarded.test.ts').map((c) => c.status)).toEqual(['passed'])
  })

  test('an installed module that throws, or whose own import is missing, is a failure', async () => {
    const { run, byName } = await runGuards(installed)
    expect(run.exitCode).toBe(1)
    expect(byName('throws.test.ts')).toMatchObject([{ status: 'failed', message: 'boom while loading' }])
    expect(byName('broken-dep.test.ts')).toMatchObject([
      { status: 'failed', message: expect.stringContaining("Cannot find package 'not-installed-dep'") },
    ])
  })

  test('in a container that provides the module, missing is a failure naming container and module', async () => {
    const { byName } = await runGuards(installed, ['opt-solver'])
    const message = "missing module 'opt-solver' in container amp, which lists 'opt-solver' in provides"
    expect(byName('guarded.test.ts')).toMatchObject([{ status: 'failed', message }])
    expect(byName('guarded-loader.test.ts')).toMatchObject([{ status: 'failed', message }])
  })

  test('a present module runs the tests; minVersion skips when the version is lower', async () => {
    const { byName } = await runGuards({ ...installed, ...optSolver('1.5.0') })
    expect(byName('guarded.test.ts').map((c) => c.status)).toEqual(['passed', 'passed'])
    expect(byName('guarded-loader.test.ts')).toMatchObject([
      { status: 'skipped', message: "module 'opt-solver' is 1.5.0, need >= 2.0.0 (container amp)" },
    ])
    const newer = await runGuards({ ...installed, ...optSolver('2.1.0') })
    expect(newer.byName('guarded-loader.test.ts').map((c) => c.status)).toEqual(['passed'])
  })
})

describe('importOrSkip under plain `vitest run`', () => {
  test("skips with the reason, shown by Vitest's own reporter", async () => {
    const project = makeProject('vitest-guards', installed)
    const run = await runPlainVitest(project, ['--reporter=verbose', 'guarded'])
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toContain("↓ guarded.test.ts > solves [missing module 'opt-solver' (no xtest container)]")
    expect(run.stdout).toContain("↓ guarded.test.ts > solves slowly [missing module 'opt-solver' (no xtest container)]")
    expect(run.stdout).toContain(
      "↓ guarded-loader.test.ts > solves with opt-solver >= 2 [missing module 'opt-solver' (no xtest container)]",
    )
  })
})
