// Coverage's cost, side by side: plain `vitest run` with and without `--coverage`, and `xtest run --all` with and
// without `--coverage`, on the same generated suite (source modules used by tests in two containers). What coverage
// adds to xtest (raw JSON per shard, the host's merge and reports) should be at most what it adds to plain Vitest,
// plus 10 %.
//   node bench/coverage/run.mjs [--runs 3] [--modules 60] [--tests 24] [--runtime local|docker] [--provider v8|istanbul]
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { median, option, repo, secondsHeader, secondsRow, seededRandom, snapshotCli } from '../lib.mjs'

const runs = Number(option('runs', 3))
const modules = Number(option('modules', 60))
const tests = Number(option('tests', 24))
const runtime = option('runtime', 'local')
const provider = option('provider', 'v8')
const work = join(repo, 'bench/.work/coverage')
const dir = join(work, 'suite')
const cli = snapshotCli(work)

// The suite: modules with branches and functions; each test file imports a few of them and calls some functions.
rmSync(dir, { recursive: true, force: true })
mkdirSync(join(dir, 'src'), { recursive: true })
const rand = seededRandom(24)
for (let m = 0; m < modules; m++) {
  const fns = Array.from({ length: 8 }, (_, f) =>
    [
      `export function f${f}(x: number): number {`,
      '  if (x > 10) return x * 2',
      `  if (x < 0) return -x + ${f}`,
      `  return x + ${f}`,
      '}',
    ].join('\n'),
  )
  writeFileSync(join(dir, 'src', `m${m}.ts`), `${fns.join('\n\n')}\n`)
}
for (const container of ['app', 'opt']) mkdirSync(join(dir, container))
for (let t = 0; t < tests; t++) {
  const container = t % 2 === 0 ? 'app' : 'opt'
  const used = Array.from({ length: 6 }, () => Math.floor(rand() * modules))
  const lines = ["import { expect, test } from 'vitest'", ...used.map((m, i) => `import * as u${i} from '../src/m${m}'`), '']
  lines.push(
    `test('t${t}', () => {`,
    ...used.map((_, i) => `  expect(u${i}.f${i}(${Math.floor(rand() * 30) - 5})).toBeTypeOf('number')`),
    '})',
  )
  writeFileSync(join(dir, container, `t${t}.test.ts`), `${lines.join('\n')}\n`)
}
const coverage = `{ provider: '${provider}', include: ['src/**'], reporter: ['text-summary', 'json-summary', 'lcov'] }`
writeFileSync(join(dir, 'vitest.config.mjs'), `export default { test: { coverage: ${coverage} } }\n`)
const image = process.env.XTEST_BASE_IMAGE || `xtest-node:${process.versions.node.split('.')[0]}`
const containers = Object.fromEntries(
  ['app', 'opt'].map((name) => [name, { include: [`${name}/**`], ...(runtime === 'local' ? { runtime: 'local' } : { image }) }]),
)
writeFileSync(join(dir, 'xtest.config.json'), `${JSON.stringify({ containers, keepRuns: 2 }, null, 2)}\n`)

const vitest = join(repo, 'node_modules/vitest/vitest.mjs')
const commands = [
  ['vitest run', ['node', vitest, 'run']],
  ['vitest run --coverage', ['node', vitest, 'run', '--coverage', '--coverage.reportsDirectory=.plain-coverage']],
  ['xtest run', ['node', cli, 'run', '--all', '--progress', 'none', '--no-cache']],
  ['xtest run --coverage', ['node', cli, 'run', '--all', '--progress', 'none', '--coverage']],
]
const times = Object.fromEntries(commands.map(([label]) => [label, []]))
// Run 0 warms up (not counted); then the four commands alternate.
for (let run = 0; run <= runs; run++)
  for (const [label, [command, ...rest]] of commands) {
    const start = process.hrtime.bigint()
    const result = spawnSync(command, rest, { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
    if (result.status !== 0) throw new Error(`${label} exited ${result.status}:\n${result.stdout}\n${result.stderr}`)
    if (run > 0) times[label].push(Number(process.hrtime.bigint() - start) / 1e9)
  }

const width = 24
console.log(`${modules} modules, ${tests} test files in 2 containers (${runtime}), ${provider}, ${runs} runs each`)
console.log(secondsHeader(width))
for (const [label] of commands) console.log(secondsRow(label, times[label], width))
const plainCost = median(times['vitest run --coverage']) - median(times['vitest run'])
const xtestCost = median(times['xtest run --coverage']) - median(times['xtest run'])
console.log(`coverage adds ${plainCost.toFixed(2)} s to plain vitest, ${xtestCost.toFixed(2)} s to xtest`)
const side = median(times['xtest run --coverage']) / median(times['vitest run --coverage'])
console.log(`xtest run --coverage vs vitest run --coverage, side by side: ${((side - 1) * 100).toFixed(1)} % (target ≤ +10 %)`)
const ratio = median(times['xtest run --coverage']) / (median(times['xtest run']) + plainCost)
console.log(`xtest run --coverage vs xtest run + plain Vitest's coverage cost: ${((ratio - 1) * 100).toFixed(1)} %`)
if (side > 1.1) process.exitCode = 1
