#!/usr/bin/env node
// Benchmark: `xtest plan --json > /dev/null` on 50,000 test files in 500 folders, against the unavoidable work
// (a separate Node process that lists the same files with fast-glob and reads each once: baseline.mjs).
// Usage: node bench/plan/run.mjs [--files 50000] [--folders 500] [--runs 7] [--regen] [--cli dist/cli.js]
// Target: median(xtest) / median(baseline) <= 1.2. Exits 1 when the target is missed.
import { spawnSync } from 'node:child_process'
import { closeSync, existsSync, openSync } from 'node:fs'
import os from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { args, option, repo, snapshotCli } from '../lib.mjs'
import { generateTree } from './generate.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const work = join(repo, 'bench/.work/plan')
const tree = join(work, 'tree')
const FILES = Number(option('files', 50_000))
const FOLDERS = Number(option('folders', 500))
const RUNS = Number(option('runs', 7))
const TARGET = 1.2

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

// GNU time, when present, adds CPU seconds (user + sys) and peak RSS of each run (for reading the wall times on a busy
// machine; the target is on wall time). Its own cost is a fork and an exec, the same for both sides.
const gnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0

// One timed run: wall time of the whole process (start-up included), stdout to /dev/null.
function timed(argv) {
  const devNull = openSync('/dev/null', 'w')
  const command = gnuTime ? ['/usr/bin/time', '-f', 'bench-time %U %S %M', ...argv] : argv
  const started = process.hrtime.bigint()
  const result = spawnSync(command[0], command.slice(1), { cwd: tree, stdio: ['ignore', devNull, 'pipe'], encoding: 'utf8' })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  closeSync(devNull)
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}:\n${(result.stderr ?? '').slice(-2000)}`)
  const usage = /bench-time (\S+) (\S+) (\d+)/.exec(result.stderr ?? '')
  return { seconds, cpu: usage ? Number(usage[1]) + Number(usage[2]) : NaN, rssMb: usage ? Number(usage[3]) / 1024 : NaN }
}

const cli = snapshotCli(work)
const started = Date.now()
const stamp = generateTree(tree, { files: FILES, folders: FOLDERS, force: args.includes('--regen') })
console.log(
  `tree: ${relative(repo, tree)} (${stamp.generated ? `generated in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'reused'}): ` +
    `${stamp.written} test files in ${FOLDERS} folders, ${(stamp.bytes / 1e6).toFixed(1)} MB, avg ${Math.round(stamp.bytes / stamp.written)} B; ` +
    `tagged ${Object.entries(stamp.counts)
      .filter(([k]) => k !== 'pin')
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; pinned ${stamp.counts.pin}`,
)

const xtest = { label: 'xtest plan --json > /dev/null', argv: [process.execPath, cli, 'plan', '--json'] }
const baseline = { label: 'baseline: fast-glob + readFileSync', argv: [process.execPath, join(here, 'baseline.mjs'), tree] }

// Check both do the same job before timing: same file count, a plan without errors.
const planRun = spawnSync(xtest.argv[0], xtest.argv.slice(1), { cwd: tree, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 })
if (planRun.status !== 0) throw new Error(`xtest plan exited ${planRun.status}:\n${planRun.stderr.slice(-2000)}`)
const plan = JSON.parse(planRun.stdout)
const baseRun = spawnSync(baseline.argv[0], baseline.argv.slice(1), { cwd: tree, encoding: 'utf8' })
const baseCount = Number(baseRun.stdout.split(' ')[0])
if (plan.files.length !== stamp.written || baseCount !== stamp.written || plan.errors.length > 0) {
  throw new Error(
    `mismatch: plan lists ${plan.files.length} files (${plan.errors.length} errors), baseline ${baseCount}, tree ${stamp.written}`,
  )
}
console.log(
  `check: both list ${baseCount} files; plan: ${plan.shards.map((s) => `${s.id} ${s.files.length}`).join(', ')}; JSON ${(planRun.stdout.length / 1e6).toFixed(1)} MB`,
)
const revision = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: repo, encoding: 'utf8' }).stdout?.trim() || 'unknown'
console.log(
  `cli: ${relative(repo, cli)} (repo at ${revision}); node ${process.version}; ${os.availableParallelism()} cpus; load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
console.log(`timing ${RUNS} runs each, interleaved (after one warm-up run each) ...\n`)

// Warm the page cache and Node's compile cache for both, then interleave, alternating which goes first.
timed(baseline.argv)
timed(xtest.argv)
const times = { xtest: [], baseline: [] }
for (let run = 0; run < RUNS; run++) {
  const order = run % 2 === 0 ? ['baseline', 'xtest'] : ['xtest', 'baseline']
  for (const name of order) times[name].push(timed(name === 'xtest' ? xtest.argv : baseline.argv))
}

const row = (label, runs) => {
  const wall = runs.map((r) => r.seconds)
  const cpu = gnuTime
    ? `${median(runs.map((r) => r.cpu))
        .toFixed(2)
        .padStart(6)} s ${Math.max(...runs.map((r) => r.rssMb))
        .toFixed(0)
        .padStart(5)} MB`
    : ''
  return `${label.padEnd(36)} ${median(wall).toFixed(3)} s  ${Math.min(...wall).toFixed(3)} s  ${Math.max(...wall).toFixed(3)} s  ${cpu}`
}
const ratio = median(times.xtest.map((r) => r.seconds)) / median(times.baseline.map((r) => r.seconds))
console.log(`${'command'.padEnd(36)} median    min       max      ${gnuTime ? '   cpu    peak RSS' : ''}`)
console.log(row(baseline.label, times.baseline))
console.log(row(xtest.label, times.xtest))
if (gnuTime) console.log(`(cpu: median user+sys seconds; peak RSS: largest of the runs; both from /usr/bin/time)`)
console.log(
  `\nratio xtest / baseline (median wall times): ${ratio.toFixed(2)}   target <= ${TARGET}   ${ratio <= TARGET ? 'MET' : 'MISSED'}`,
)
console.log(
  `load after: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
process.exitCode = ratio <= TARGET ? 0 : 1
