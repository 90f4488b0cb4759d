// Coverage across containers and CI parts on the real engine: each shard writes raw coverage into its own output
// folder (the repository is read-only in CI), the host merges it, and the merged figures equal plain
// `vitest run --coverage` of the same files on the host, per file and in total, with v8 and istanbul.
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { repoRoot, runXtest } from '../helpers/cli.js'
import { copyFixtureIntoRepo, requireEngine, useLeftovers } from '../helpers/docker.js'

const leftovers = useLeftovers()
const made: string[] = []
afterAll(() => {
  if (!leftovers.failed) for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})
beforeAll(() => requireEngine())

function copy(): string {
  const dir = copyFixtureIntoRepo('docker-coverage', 'coverage')
  made.push(dir)
  return dir
}

type Summary = Record<string, Record<string, { total: number; covered: number }>>

/** coverage-summary.json → per file (relative to `cwd`) and total: each metric's total and covered. */
function readSummary(file: string, cwd: string): Summary {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Summary
  const out: Summary = {}
  for (const [key, metrics] of Object.entries(raw)) {
    const name = key === 'total' ? 'total' : path.relative(cwd, key)
    out[name] = Object.fromEntries(
      ['lines', 'branches', 'functions', 'statements'].map((m) => [m, { total: metrics[m]!.total, covered: metrics[m]!.covered }]),
    )
  }
  return out
}

/** Plain Vitest on the host, the same files and config: the figures xtest must reproduce. */
async function plainVitest(cwd: string, config: string): Promise<Summary> {
  const dir = path.join(cwd, `.plain-${path.basename(config, '.mjs')}`)
  const vitest = path.join(repoRoot, 'node_modules/vitest/vitest.mjs')
  const args = [vitest, 'run', '--config', config, '--coverage', `--coverage.reportsDirectory=${dir}`, '--coverage.reporter=json-summary']
  const result = await execa('node', args, { cwd, reject: false, env: { CI: 'true' } })
  expect(result.exitCode, result.stdout + result.stderr).toBe(0)
  return readSummary(path.join(dir, 'coverage-summary.json'), cwd)
}

/** No report names a container path: every path is the repository's. */
function expectRepositoryPaths(dir: string, cwd: string): void {
  for (const name of ['lcov.info', 'coverage-final.json', 'coverage-summary.json', 'index.html']) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8')
    expect(text, name).not.toMatch(/["':]\/app\//)
    expect(text, name).not.toContain('/xtest/out')
  }
  expect(fs.readFileSync(path.join(dir, 'lcov.info'), 'utf8')).toContain('SF:src/math.ts')
  expect(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'coverage-final.json'), 'utf8'))).sort()).toEqual(
    ['math.ts', 'text.ts', 'untested.ts'].map((f) => path.join(fs.realpathSync(cwd), 'src', f)),
  )
}

describe.each([
  { provider: 'v8', config: 'vitest.config.mjs', flags: ['--coverage'] },
  { provider: 'istanbul', config: 'vitest.istanbul.mjs', flags: ['--', '--config', 'vitest.istanbul.mjs', '--coverage'] },
])('$provider', ({ config, flags }) => {
  test('run --all --coverage in CI (read-only repository): merged coverage equals plain vitest run --coverage', async () => {
    const cwd = copy()
    const result = await runXtest(['run', '--all', '--runtime', 'docker', '--summary', 'summary.md', ...flags], { cwd })
    expect(result.exitCode, result.stdout + result.stderr).toBe(0)
    leftovers.runDirOf(result.stderr, cwd)
    // Every shard's coverage was taken, none of it refused or dropped.
    expect(result.stderr).not.toContain('coverage:')
    // The text reporter's table on the terminal, once, with the merged figures.
    expect(result.stdout).toMatch(/All files\s+\|\s+73\.33\s+\|\s+75\s+\|\s+71\.42\s+\|\s+75\s+\|/)
    const dir = path.join(cwd, '.xtest/coverage')
    expect(readSummary(path.join(dir, 'coverage-summary.json'), cwd)).toEqual(await plainVitest(cwd, config))
    expectRepositoryPaths(dir, cwd)
    // Totals per container and tier in the Markdown summary and report.html.
    const markdown = fs.readFileSync(path.join(cwd, 'summary.md'), 'utf8')
    expect(markdown).toContain('| all | 75% (9/12) |')
    expect(markdown).toMatch(/\| container app \| 41\.66% \(5\/12\) \|/)
    expect(markdown).toMatch(/\| container opt \| 50% \(6\/12\) \|/)
    expect(markdown).toMatch(/\| tier fast \| 75% \(9\/12\) \|/)
    const html = fs.readFileSync(path.join(cwd, '.xtest/report.html'), 'utf8')
    expect(html).toContain('<td>container app</td><td class="num">41.66% (5/12)</td>')
    // Nothing landed in the repository (Vitest's default ./coverage is the shard's own folder).
    expect(fs.existsSync(path.join(cwd, 'coverage'))).toBe(false)
  }, 240_000)
})

test('two CI parts with --shard 1/2 and 2/2, then xtest merge --coverage: the same totals as one run', async () => {
  const cwd = copy()
  const saved = await runXtest(['plan', '--save', 'plan.json'], { cwd })
  expect(saved.exitCode, saved.stderr).toBe(0)
  for (const index of [1, 2]) {
    const part = await runXtest(
      ['run', '--runtime', 'docker', '--plan', 'plan.json', '--shard', `${index}/2`, '--junit', `part-${index}.xml`, '--coverage'],
      { cwd },
    )
    expect(part.exitCode, part.stdout + part.stderr).toBe(0)
    leftovers.runDirOf(part.stderr, cwd)
    // What a part uploads: its output folder's coverage/xtest-coverage.json (a CI artifact per part).
    fs.mkdirSync(path.join(cwd, `coverage-${index}`))
    fs.copyFileSync(path.join(cwd, '.xtest/coverage/xtest-coverage.json'), path.join(cwd, `coverage-${index}/xtest-coverage.json`))
  }
  const merged = await runXtest(
    ['merge', 'part-1.xml', 'part-2.xml', '--plan', 'plan.json', '-o', 'merged/junit.xml', '--coverage', 'coverage-*/xtest-coverage.json'],
    { cwd },
  )
  expect(merged.exitCode, merged.stdout + merged.stderr).toBe(0)
  expect(merged.stdout).toMatch(/All files\s+\|\s+73\.33\s+\|\s+75\s+\|\s+71\.42\s+\|\s+75\s+\|/)
  const dir = path.join(cwd, 'merged/coverage')
  expect(readSummary(path.join(dir, 'coverage-summary.json'), cwd)).toEqual(await plainVitest(cwd, 'vitest.config.mjs'))
  expectRepositoryPaths(dir, cwd)
}, 300_000)

test('a threshold applies to the merged coverage: met although each shard alone is below it; missed → exit 1 naming the metric', async () => {
  const cwd = copy()
  // lines: 70. Alone, app covers 41.66 % of the lines and opt 50 %; merged 75 %.
  const met = await runXtest(['run', '--all', '--runtime', 'docker', '--coverage', '--', '--config', 'vitest.threshold.mjs'], { cwd })
  expect(met.exitCode, met.stdout + met.stderr).toBe(0)
  leftovers.runDirOf(met.stderr, cwd)
  expect(met.stdout).not.toContain('ERROR:')
  const missed = await runXtest(['run', '--all', '--runtime', 'docker', '--coverage', '--', '--config', 'vitest.threshold-high.mjs'], {
    cwd,
  })
  expect(missed.exitCode, missed.stdout + missed.stderr).toBe(1)
  leftovers.runDirOf(missed.stderr, cwd)
  expect(missed.stdout).toContain('ERROR: Coverage for lines (75%) does not meet global threshold (80%)')
  // The tests themselves passed: only the threshold fails the run, and the headline says so.
  expect(missed.stdout).toMatch(/xtest: FAILED: 0 failed, 0 errors, 4 passed, 0 skipped of 4 tests, coverage below its thresholds/)
}, 300_000)
