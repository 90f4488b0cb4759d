import { describe, expect, test } from 'vitest'
import { fixture, runXtest } from '../helpers/cli.js'

describe('xtest plan on the monorepo fixture', () => {
  test('--files lists each file once per (container, tier) with its reason', async () => {
    const { stdout, exitCode } = await runXtest(['plan', '--files'], { cwd: fixture('monorepo') })
    expect(exitCode).toBe(0)
    const rows = stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(/\s{2,}/))
    const keys = rows.map(([file, container, tier]) => `${file} ${container} ${tier}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(rows.filter(([file, container]) => container === 'amp' && file!.startsWith('optimizer/'))).toEqual([])
    expect(rows.filter(([file, container]) => container === 'opt' && !file!.startsWith('optimizer/')).map((r) => r[0])).toEqual([
      'app/legacy/solver-compat.test.ts',
    ])
    expect(keys).toContain('app/lib/stats.test.ts amp slow')
    expect(keys).toContain('app/lib/stats.test.ts amp superslow')
    expect(keys).toContain('app/e2e.test.ts amp superslow')
    expect(keys).not.toContain('app/e2e.test.ts amp fast')
    expect(keys).not.toContain('app/lib/math.test.ts amp slow')
    expect(stdout).toContain('pinned by @xtest-container opt')
  })

  test('says which repository Docker shards see at /app: read-only in CI and locally alike', async () => {
    const repo = fixture('..')
    const protectedLine = '.git, node_modules, package.json and the xtest config read-only'
    const ci = await runXtest(['plan'], { cwd: fixture('monorepo'), env: { CI: 'true' } })
    expect(ci.stderr).toContain(`xtest: docker shards see ${repo} at /app: amp read-only; opt read-only; ${protectedLine}`)
    const local = await runXtest(['plan'], { cwd: fixture('monorepo'), env: { CI: '' } })
    expect(local.stderr).toContain(`docker shards see ${repo} at /app: amp read-only; opt read-only; ${protectedLine}`)
  })

  test('--json is the versioned plan, narrowed by --container and --tier', async () => {
    const { stdout, exitCode } = await runXtest(['plan', '--json', '--container', 'opt', '--tier', 'fast'], { cwd: fixture('monorepo') })
    expect(exitCode).toBe(0)
    const plan = JSON.parse(stdout)
    expect(plan.version).toBe(1)
    expect(plan.shards).toEqual([
      {
        id: 'opt.fast',
        container: 'opt',
        tier: 'fast',
        files: ['app/legacy/solver-compat.test.ts', 'optimizer/runtime.test.ts', 'optimizer/solver.test.ts'],
      },
    ])
  })

  test('finds the config from a subdirectory', async () => {
    const { stdout, exitCode } = await runXtest(['plan'], { cwd: fixture('monorepo/optimizer') })
    expect(exitCode).toBe(0)
    expect(stdout).toMatch(/amp\s+fast\s+2/)
  })
})

describe('xtest plan errors', () => {
  test.each([
    ['config-wrong-type', 'xtest: xtest.config.ts: containers.opt.include[0]: expected string, received number'],
    ['config-unknown-key', "xtest: xtest.config.json: containers.opt: unknown key 'workDir'"],
    ['config-bad-glob', 'xtest: xtest.config.json: containers.opt.include[0]: invalid glob pattern'],
  ])('%s fails with exit 2 and one line naming the config path', async (name, line) => {
    const { stderr, exitCode } = await runXtest(['plan'], { cwd: fixture(name) })
    expect(exitCode).toBe(2)
    expect(stderr.trim().split('\n')[0]).toBe(line)
  })

  test('a file in no container fails, naming the file and the rule that would take it', async () => {
    const { stderr, exitCode } = await runXtest(['plan'], { cwd: fixture('file-in-no-container') })
    expect(exitCode).toBe(2)
    expect(stderr.trim()).toBe(
      "xtest: scripts/lost.test.ts: routed to no container (app: not in include 'src/**'); add it to a container's include or pin it with /** @xtest-container NAME */",
    )
  })

  test('a file in two containers fails unless overlap is allowed', async () => {
    const { stderr, exitCode } = await runXtest(['plan'], { cwd: fixture('overlap') })
    expect(exitCode).toBe(2)
    expect(stderr).toContain("xtest: src/a.test.ts: routed to 2 containers: amp (all files) and opt (include 'src/**')")
    const allowed = await runXtest(['plan', '--json'], { cwd: fixture('overlap-allowed') })
    expect(allowed.exitCode).toBe(0)
    expect(JSON.parse(allowed.stdout).shards.map((s: { id: string }) => s.id)).toEqual(['amp.fast', 'opt.fast'])
  })

  test.each([
    [['plan', '--container', 'gpu'], "xtest: unknown container 'gpu' (known: amp, opt)"],
    [['plan', '--tier', 'medium'], "xtest: unknown tier 'medium' (known: fast, slow, superslow, all)"],
    [['plan', '--bogus'], 'xtest: Unknown option `--bogus` (see xtest --help)'],
    [['frobnicate'], "xtest: unknown command 'frobnicate' (see xtest --help)"],
  ])('%j is a usage error', async (args, line) => {
    const { stderr, exitCode } = await runXtest(args, { cwd: fixture('monorepo') })
    expect(exitCode).toBe(2)
    expect(stderr.trim()).toBe(line)
  })

  test('no config anywhere above is exit 2', async () => {
    const { stderr, exitCode } = await runXtest(['plan'], { cwd: '/' })
    expect(exitCode).toBe(2)
    expect(stderr).toMatch(/^xtest: no xtest config found in \/ or above/)
  })
})
