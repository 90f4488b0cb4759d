import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { packageName, repoRoot } from '../helpers/cli.js'
import { createPackedRepo, type PackedRepo } from '../helpers/packed-repo.js'

// xtest as a user gets it: `npm pack`, installed from the tarball into a fresh git repo, driven through `npx xtest`.
describe('the packed package in a fresh repo', () => {
  let packed: PackedRepo
  let repo: string
  const npx = (args: string[]) => packed.xtest(args)
  /** Writes each file (name → content) into the fresh repo. */
  const writeInRepo = (files: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(repo, name), content)
  }

  beforeAll(async () => {
    packed = await createPackedRepo('monorepo')
    repo = packed.repo
  }, 240_000)

  afterAll(() => packed?.remove())

  test('installs with no flag and no install-script warning: dockerode (ssh2, cpu-features, protobufjs) is not installed', () => {
    expect(packed.installLog).not.toMatch(/ERESOLVE|install-scripts|cpu-features|ssh2|protobufjs|gyp/i)
    for (const name of ['dockerode', 'ssh2', 'cpu-features', 'protobufjs'])
      expect(fs.existsSync(path.join(repo, 'node_modules', name)), name).toBe(false)
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', packageName, 'package.json'), 'utf8'))
    expect(manifest.peerDependenciesMeta?.dockerode?.optional).toBe(true)
    expect(manifest.dependencies?.dockerode).toBeUndefined()
  })

  test('an ssh:// engine without dockerode: exit 3 and one line saying what to install', async () => {
    const { exitCode, stderr } = await packed.xtest(['run', '--container', 'amp', '--runtime', 'docker'], {
      DOCKER_HOST: 'ssh://ci@127.0.0.1:1',
    })
    expect(exitCode, stderr).toBe(3)
    expect(stderr.split('\n')[0]).toBe(
      'xtest: container amp: the engine at ssh://ci@127.0.0.1:1 is an ssh:// host, which needs the optional package dockerode: run `npm install -D dockerode`',
    )
  })

  test('ships bin, exports, types and the JSON schema', () => {
    const installed = path.join(repo, 'node_modules', packageName)
    for (const file of [
      'dist/cli.js',
      'dist/chunks',
      'dist/config/define.js',
      'dist/config/define.d.ts',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/vitest/index.js',
      'dist/vitest/index.d.ts',
      'config/schema.json',
      // The GitHub Action, as `uses: ./node_modules/vitest-xtest` finds it after `npm ci`.
      'action.yml',
      'README.md',
    ]) {
      expect(fs.existsSync(path.join(installed, file)), file).toBe(true)
    }
    expect(fs.existsSync(path.join(installed, 'src'))).toBe(false)
  })

  // Without --skipLibCheck: every published .d.ts must resolve (no file missing from the tarball, no private path).
  // A TypeScript user has @types/node; the fresh repo borrows this repo's.
  test('the entry points type-check in a consumer: xtest/config, xtest/vitest, xtest and its plan/run/merge/exec', async () => {
    writeInRepo({
      'check-types.ts': [
        "import { defineConfig, type XtestConfig } from 'vitest-xtest/config'",
        "import xtestPlugin, { importOrSkip } from 'vitest-xtest/vitest'",
        "import { createPlan, exec, loadConfig, merge, plan, run, XtestError, type ExecResult, type Plan, type PlanResult, type RunDone, type RunSummary } from 'vitest-xtest'",
        "const config: XtestConfig = defineConfig({ containers: { amp: { image: 'amp:1', memory: '2g' } } })",
        'export const used = [config, xtestPlugin(), importOrSkip, createPlan, loadConfig] as const',
        'export type P = Plan',
        '// @ts-expect-error: a container needs a string image',
        'defineConfig({ containers: { amp: { image: 1 } } })',
        'export async function facade(): Promise<[PlanResult, RunDone, RunSummary, ExecResult]> {',
        "  const planned = await plan({ containers: ['amp'], tiers: 'all', shard: '1/2' })",
        "  const done = await run({ tiers: 'fast', concurrency: 2, signal: AbortSignal.timeout(1000), onNotice: (line: string) => line.length })",
        "  const { summary } = await merge(['a.xml'], { output: 'm.xml', html: 'm.html', plan: 'plan.json', timings: true })",
        "  const result = await exec({ container: 'amp', argv: ['node', '--version'], stdout: process.stdout })",
        '  const code: number = done.exitCode + summary.totals.failed + result.exitCode + planned.prepared.plan.shards.length',
        "  if (code < 0 && !(new Error() instanceof XtestError)) throw new Error('never')",
        '  // @ts-expect-error: argv is an array, there is no shell',
        "  await exec({ container: 'amp', argv: 'node --version' })",
        '  return [planned, done, summary, result]',
        '}',
        '',
      ].join('\n'),
    })
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc')
    const types = ['--typeRoots', path.join(repoRoot, 'node_modules/@types'), '--types', 'node']
    const result = await execa(
      'node',
      [
        tsc,
        '--noEmit',
        '--strict',
        ...types,
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        'check-types.ts',
      ],
      { cwd: repo, reject: false },
    )
    expect(result.exitCode, `${result.stdout}${result.stderr}`).toBe(0)
  }, 60_000)

  test('the programmatic API runs from the installed package: loadConfig, mergeJUnit, readJUnit, exitCodeFor', async () => {
    writeInRepo({
      'one.xml':
        '<testsuites><testsuite name="s" tests="2"><testcase classname="s" name="ok"/><testcase classname="s" name="bad"><failure message="no"/></testcase></testsuite></testsuites>',
      'api.mjs': [
        "import { loadConfig, mergeJUnit, readJUnit, exitCodeFor, TIERS } from 'vitest-xtest'",
        'const config = await loadConfig()',
        "const summary = await mergeJUnit(['one.xml'], 'merged.xml')",
        "const read = await readJUnit('merged.xml')",
        'console.log(JSON.stringify({ containers: Object.keys(config.containers), tiers: TIERS, totals: summary.totals, exit: exitCodeFor(summary), readOk: read.ok }))',
      ].join('\n'),
    })
    const result = await execa('node', ['api.mjs'], { cwd: repo, reject: false })
    expect(result.exitCode, result.stderr).toBe(0)
    const out = JSON.parse(result.stdout)
    expect(out).toMatchObject({ containers: ['amp', 'opt'], tiers: ['fast', 'slow', 'superslow'], exit: 1, readOk: true })
    expect(out.totals).toMatchObject({ tests: 2, passed: 1, failed: 1 })
    expect(fs.readFileSync(path.join(repo, 'merged.xml'), 'utf8')).toContain('name="bad"')
  })

  test('the tarball holds no test, fixture or source file', () => {
    const installed = path.join(repo, 'node_modules', packageName)
    const files = fs.readdirSync(installed, { recursive: true, encoding: 'utf8' })
    expect(files.filter((file) => /^(test|fixtures|src|bench|scripts)(\/|$)|\.test\.[cm]?[jt]s$/.test(file))).toEqual([])
  })

  // plan()/run()/merge()/exec() load on first call: importing the root (e.g. for importOrSkip) starts no engine
  // client, no subprocess library and none of the run side.
  test('importing vitest-xtest loads none of the run side, the engine client, execa or dockerode', async () => {
    const log = path.join(repo, 'loaded.txt')
    writeInRepo({
      'log-loads.mjs':
        "import fs from 'node:fs'\nexport async function load(url, context, next) { fs.appendFileSync(process.env.LOADS_LOG, `${url}\\n`); return next(url, context) }\n",
      'register.mjs': "import { register } from 'node:module'\nregister('./log-loads.mjs', import.meta.url)\n",
    })
    const result = await execa(
      'node',
      [
        '--import',
        './register.mjs',
        '--input-type=module',
        '-e',
        "const api = await import('vitest-xtest'); console.log(typeof api.run, typeof api.exec)",
      ],
      { cwd: repo, reject: false, env: { LOADS_LOG: log } },
    )
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toBe('function function')
    const loaded = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter((url) => url.includes('/node_modules/'))
    expect(loaded.some((url) => url.endsWith(`/${packageName}/dist/index.js`))).toBe(true)
    expect(loaded.filter((url) => /\/dist\/(run|runtimes)\/|\/node_modules\/(execa|dockerode|tar-fs|fast-xml-parser)\//.test(url))).toEqual(
      [],
    )
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
