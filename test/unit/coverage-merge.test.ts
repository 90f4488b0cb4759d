// The host's half of coverage: what a shard wrote is hostile (paths outside the repository, malformed entries,
// prototype keys, reporters that would load a module or write outside the coverage folder), the merge is
// istanbul-lib-coverage's, thresholds follow Vitest's rules, and `-- --coverage` is xtest's --coverage.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import libCoverage, { type FileCoverageData } from 'istanbul-lib-coverage'
import { afterAll, describe, expect, test } from 'vitest'
import { parseCoverageOptions } from '../../src/report/coverage/coverage-options.js'
import { mergeCoverage } from '../../src/report/coverage/merge-coverage.js'
import { cleanFileCoverage, readRawCoverage, repoRelative } from '../../src/report/coverage/raw-coverage.js'
import { checkThresholds } from '../../src/report/coverage/thresholds.js'
import { toRunRequest } from '../../src/run/request.js'
import { renderWrapperConfig } from '../../src/runtimes/vitest-command.js'
import { random } from '../helpers/random.js'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-coverage-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const loc = (line: number) => ({ start: { line, column: 0 }, end: { line, column: 10 } })
/** A file of `n` one-line statements and functions, the first `hit` of them run; one if/else branch. */
function fileCoverage(file: string, n: number, hit: number): FileCoverageData {
  const ids = [...Array(n).keys()]
  return {
    path: file,
    statementMap: Object.fromEntries(ids.map((i) => [i, loc(i + 1)])),
    fnMap: Object.fromEntries(ids.map((i) => [i, { name: `f${i}`, decl: loc(i + 1), loc: loc(i + 1), line: i + 1 }])),
    branchMap: { 0: { loc: loc(1), type: 'if', locations: [loc(1), { start: {}, end: {} } as never], line: 1 } },
    s: Object.fromEntries(ids.map((i) => [i, i < hit ? 1 : 0])),
    f: Object.fromEntries(ids.map((i) => [i, i < hit ? 1 : 0])),
    b: { 0: [hit > 0 ? 1 : 0, 0] },
  }
}

describe('raw coverage from a shard', () => {
  test('paths map from the shard root to the repository; outside it (xtest, /tmp, ..) is dropped', () => {
    expect(repoRelative('/app/src/a.ts', '/app')).toBe('src/a.ts')
    expect(repoRelative('/app/src/../src/a.ts', '/app')).toBe('src/a.ts')
    for (const outside of [
      '/opt/xtest/dist/a.js',
      '/app/../etc/passwd',
      '/app',
      'src/a.ts',
      '/application/a.ts',
      '/app/__proto__/x',
      '/app/a\0.ts',
    ])
      expect(repoRelative(outside, '/app'), outside).toBeNull()
    const { data, dropped } = readRawCoverage(
      {
        '/app/src/a.ts': fileCoverage('/app/src/a.ts', 3, 1),
        '/opt/xtest/dist/vitest/index.js': fileCoverage('/opt/xtest/dist/vitest/index.js', 3, 3),
        '/tmp/evil.ts': fileCoverage('/tmp/evil.ts', 1, 1),
      },
      '/app',
    )
    expect(Object.keys(data)).toEqual(['src/a.ts'])
    expect(data['src/a.ts']!.path).toBe('src/a.ts')
    expect(dropped).toBe(2)
  })

  test('malformed entries are dropped, never merged: wrong shapes, prototype keys, counts without a map, negative counts', () => {
    const good = fileCoverage('/app/a.ts', 2, 1)
    const bad = [
      null,
      'text',
      { ...good, s: { 0: -1, 1: 0 } },
      { ...good, s: { 0: 1 } },
      { ...good, f: { 0: 1, 1: 'x' } },
      { ...good, b: { 0: [1] } },
      {
        ...good,
        statementMap: JSON.parse(
          '{"__proto__": {"start": {"line": 1, "column": 0}, "end": {"line": 1, "column": 1}}, "1": {"start": {"line": 1, "column": 0}, "end": {"line": 1, "column": 1}}}',
        ),
      },
      { ...good, fnMap: { 0: { name: 'x' }, 1: good.fnMap[1] } },
      { ...good, branchMap: { 0: { ...good.branchMap[0], locations: [loc(1), 'x'] } } },
    ]
    for (const entry of bad) expect(cleanFileCoverage(entry, 'a.ts'), JSON.stringify(entry)).toBeNull()
    expect(cleanFileCoverage(good, 'a.ts')).not.toBeNull()
  })

  test('random corruptions of a valid file either pass the check or are dropped; what passes merges and summarizes (seeded)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed)
      const value = JSON.parse(JSON.stringify(fileCoverage('/app/a.ts', 4, 2))) as Record<string, Record<string, unknown>>
      const part = ['statementMap', 'fnMap', 'branchMap', 's', 'f', 'b'][next(6)]!
      const key = Object.keys(value[part]!)[0]!
      const junk = [null, -1, 'x', {}, [], 1e308, { start: 1 }, [1, 2, 3]][next(8)]
      value[part]![next(2) === 0 ? key : ['__proto__', 'constructor', '99', 'x'][next(4)]!] = junk
      const cleaned = cleanFileCoverage(value, 'a.ts')
      if (cleaned === null) continue
      const map = libCoverage.createCoverageMap({ 'a.ts': cleaned })
      const summary = map.getCoverageSummary()
      for (const metric of ['lines', 'functions', 'branches', 'statements'] as const)
        expect(summary[metric].covered, `seed ${seed}`).toBeLessThanOrEqual(summary[metric].total)
    }
  })
})

describe('coverage options from a shard', () => {
  test("only Istanbul's reporters, and none of their options that names a file or a folder", () => {
    const options = parseCoverageOptions({
      provider: 'istanbul',
      reporter: ['text', ['lcov', { file: '../../../etc/cron.d/x', projectRoot: '/', skipFull: true }], '/tmp/evil.js', ['../../x'], 42],
      thresholds: { lines: 80, functions: 'x', perFile: true, 'src/**': { branches: 50 }, autoUpdate: true },
      watermarks: { lines: [50, 80], branches: [1, 2, 3] },
    })
    expect(options.reporters).toEqual([
      ['text', {}],
      ['lcov', { skipFull: true }],
    ])
    expect(options.thresholds).toEqual({ lines: 80, perFile: true, globs: [{ glob: 'src/**', perFile: false, metrics: { branches: 50 } }] })
    expect(options.watermarks).toEqual({ lines: [50, 80] })
    // Nothing usable: Vitest's defaults.
    expect(parseCoverageOptions('junk').reporters.map(([name]) => name)).toEqual(['text', 'html', 'clover', 'json'])
    expect(parseCoverageOptions({ thresholds: { 100: true } }).thresholds).toMatchObject({
      lines: 100,
      functions: 100,
      branches: 100,
      statements: 100,
    })
  })
})

describe('thresholds on the merged coverage', () => {
  const map = () =>
    libCoverage.createCoverageMap({
      '/r/src/a.ts': fileCoverage('/r/src/a.ts', 4, 4),
      '/r/src/b.ts': fileCoverage('/r/src/b.ts', 4, 1),
    })
  test("global, negative (uncovered items), per file and glob thresholds, in Vitest's words", () => {
    const check = (thresholds: object) => checkThresholds(map(), parseCoverageOptions({ thresholds }).thresholds, '/r')
    expect(check({ lines: 62.5 })).toEqual([])
    expect(check({ lines: 70 })).toEqual(['Coverage for lines (62.5%) does not meet global threshold (70%)'])
    expect(check({ functions: -3 })).toEqual([])
    expect(check({ functions: -2 })).toEqual(['Uncovered functions (3) exceed global threshold (2)'])
    expect(check({ lines: 50, perFile: true })).toEqual(['Coverage for lines (25%) does not meet threshold (50%) for src/b.ts'])
    // b.ts is checked against its glob and leaves the global check, as in Vitest.
    expect(check({ lines: 100, 'src/b.ts': { lines: 20 } })).toEqual([])
    expect(check({ 'src/b*.ts': { lines: 30 } })).toEqual(['Coverage for lines (25%) does not meet "src/b*.ts" threshold (30%)'])
  })
})

describe('mergeCoverage', () => {
  test('two shards of the same file merge as istanbul does; reports land in outDir only; a lying options file cannot write elsewhere', async () => {
    const repo = path.join(tmp, 'repo')
    fs.mkdirSync(path.join(repo, 'src'), { recursive: true })
    fs.writeFileSync(path.join(repo, 'src/a.ts'), 'x\n'.repeat(4))
    const shard = (name: string, hit: number) => {
      const dir = path.join(tmp, name)
      fs.mkdirSync(dir)
      fs.writeFileSync(path.join(dir, 'coverage-final.json'), JSON.stringify({ '/app/src/a.ts': fileCoverage('/app/src/a.ts', 4, hit) }))
      fs.writeFileSync(
        path.join(dir, 'coverage-options.json'),
        JSON.stringify({ reporter: ['json-summary', ['json', { file: '../../escaped.json' }]], thresholds: { lines: 60 } }),
      )
      return { container: name, tier: 'fast', dir, shardRoot: '/app' }
    }
    const warnings: string[] = []
    const outDir = path.join(repo, '.xtest/coverage')
    const merged = await mergeCoverage({
      shards: [shard('one', 1), shard('two', 3)],
      repoRoot: repo,
      projectRoot: repo,
      outDir,
      warn: (line) => warnings.push(line),
    })
    expect(warnings).toEqual([])
    expect(merged!.totals.lines).toEqual({ covered: 3, total: 4, pct: 75 })
    expect(merged!.byContainer.one!.lines.covered).toBe(1)
    expect(merged!.byContainer.two!.lines.covered).toBe(3)
    expect(merged!.failures).toEqual([])
    expect(fs.readdirSync(outDir).sort()).toEqual(['coverage-final.json', 'coverage-summary.json', 'xtest-coverage.json'])
    expect(fs.existsSync(path.join(tmp, 'escaped.json'))).toBe(false)
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(outDir, 'coverage-final.json'), 'utf8')))).toEqual([
      path.join(repo, 'src/a.ts'),
    ])

    // The raw file a CI part uploads merges back to the same figures.
    const again = await mergeCoverage({
      parts: [path.join(outDir, 'xtest-coverage.json')],
      repoRoot: repo,
      projectRoot: repo,
      outDir: path.join(tmp, 'merged'),
      warn: (line) => warnings.push(line),
    })
    expect(again!.totals).toEqual(merged!.totals)
    expect(again!.byContainer).toEqual(merged!.byContainer)
  })

  test('an oversized or non-JSON shard file costs one warning, and a symbolic link is never followed', async () => {
    const dir = path.join(tmp, 'bad')
    fs.mkdirSync(dir)
    fs.symlinkSync('/etc/passwd', path.join(dir, 'coverage-final.json'))
    const other = path.join(tmp, 'notjson')
    fs.mkdirSync(other)
    fs.writeFileSync(path.join(other, 'coverage-final.json'), '{')
    const warnings: string[] = []
    const merged = await mergeCoverage({
      shards: [
        { container: 'a', tier: 'fast', dir, shardRoot: '/app' },
        { container: 'b', tier: 'fast', dir: other, shardRoot: '/app' },
      ],
      repoRoot: tmp,
      projectRoot: tmp,
      outDir: path.join(tmp, 'bad-out'),
      warn: (line) => warnings.push(line),
    })
    expect(merged).toBeUndefined()
    const partly = await mergeCoverage({
      shards: [
        { container: 'c', tier: 'fast', dir: path.join(tmp, 'one'), shardRoot: '/app' },
        { container: 'd', tier: 'slow', dir: path.join(tmp, 'never-started'), shardRoot: '/app' },
      ],
      repoRoot: tmp,
      projectRoot: tmp,
      outDir: path.join(tmp, 'partly-out'),
      warn: (line) => warnings.push(line),
    })
    expect(partly).toBeDefined()
    expect(warnings.pop()).toBe('coverage: no coverage from shard(s) d/slow; the merged report lacks it')
    expect(warnings).toEqual([
      'coverage: coverage-final.json is a symbolic link',
      `coverage: ${path.join(other, 'coverage-final.json')} is not JSON`,
    ])
  })
})

describe('the shard side', () => {
  test("the wrapper config forces raw JSON into the shard's out/, no thresholds, and hands the user's options to the host", () => {
    const source = renderWrapperConfig({
      userConfigPath: '/app/vitest.config.ts',
      pluginPath: '/opt/xtest/dist/vitest/index.js',
      coverageDir: '/xtest/out',
    })
    expect(source).toContain('reportsDirectory: "/xtest/out/coverage"')
    expect(source).toContain('reporter: json')
    expect(source).toContain('thresholds: undefined')
    expect(source).toContain('writeFileSync("/xtest/out/coverage-options.json"')
    expect(renderWrapperConfig({ userConfigPath: null, pluginPath: '/x/index.js' })).not.toContain('coverage')
  })

  test("-- --coverage is xtest --coverage (taken out of the shards' arguments); the config switch too; the result cache steps aside", async () => {
    const root = path.join(tmp, 'project')
    fs.mkdirSync(root)
    fs.writeFileSync(path.join(root, 'xtest.config.json'), JSON.stringify({ containers: { host: { runtime: 'local' } } }))
    const config = path.join(root, 'xtest.config.json')
    const passed = await toRunRequest({ config, vitestArgs: ['--coverage', '--reporter=dot'] })
    expect(passed.coverage).toBe(true)
    expect(passed.vitestArgs).toEqual(['--reporter=dot'])
    expect(passed.cache).toBe(false)
    expect((await toRunRequest({ config })).coverage).toBe(false)
    expect((await toRunRequest({ config, coverage: true })).coverage).toBe(true)
    fs.writeFileSync(config, JSON.stringify({ coverage: true, containers: { host: { runtime: 'local' } } }))
    expect((await toRunRequest({ config })).coverage).toBe(true)
  })
})
