#!/usr/bin/env node
// Benchmark: xtest against the command a user would write by hand, on a suite shaped like a real library
// (generate.mjs: 260 TypeScript test files, 2,560 tests, 320 source modules, tables and snapshots). One invocation
// times, interleaved after a warm-up each:
//   one container   `xtest run --all --runtime docker --no-cache` (one shard)  vs  `docker run … vitest run`   ≤ 1.05
//   two containers  the same suite split over two containers (two shards)     vs  the same `docker run`      ≤ 1.00
//   local           `xtest run --all --runtime local --no-cache`              vs  plain `vitest run`         ≤ 1.05
//   parts (only with --only parts) two CI parts, `--shard I/2`, the slower one vs  Vitest's `--shard=I/2`   ≤ 0.95
//   share (only with --only share) Vitest on 52 files with xtest's recording setup file vs without (its share)
// and, for the one-container run, where the time goes: before the shard, container start → Vitest's first line,
// Vitest's own phases (its Duration line), after the shard.
// Usage: node bench/realistic/run.mjs [--runs 3] [--only one|two|local|parts|share] [--files 260] [--modules 320] [--regen]
//        [--uneven] (the suite with files of uneven cost, as real suites have: a test of 0–800 ms of work in each)
//        [--image xtest-node:20] [--cli dist/cli.js]
// Exits 1 when a target is missed, 2 when the set-up is broken (no engine, no image, a failing run).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join, relative } from 'node:path'
import { args, handWrittenDockerRun, median, option, repo, secondsRow, snapshotCli } from '../lib.mjs'
import { generateSuite } from './generate.mjs'

// --uneven: the suite with files of uneven cost (generate.mjs), in a folder of its own.
const UNEVEN = args.includes('--uneven')
const work = join(repo, 'bench/.work/realistic')
const suite = join(work, UNEVEN ? 'suite-uneven' : 'suite')
const RUNS = Number(option('runs', 3))
const ONLY = option('only', null)
const IMAGE = option('image', 'xtest-node:20')
const FILES = Number(option('files', 260))
const MODULES = Number(option('modules', 320))
const TARGETS = { one: 1.05, two: 1.0, local: 1.05, parts: 0.95 }
const vitest = join(repo, 'node_modules/vitest/vitest.mjs')

const fail = (message) => {
  console.error(`bench/realistic: ${message}`)
  process.exit(2)
}
const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, '')

// One timed run in the suite; `expect` checks that every test passed (a broken side would time nothing useful).
function timed(argv, env = {}) {
  const wallStart = Date.now()
  const started = process.hrtime.bigint()
  const result = spawnSync(argv[0], argv.slice(1), {
    cwd: suite,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    // The result cache on, as a user has it: `--no-cache` runs every file and still stores what passed.
    env: { ...process.env, CI: 'true', NO_COLOR: '1', XTEST_CACHE_DIR: join(work, 'cache'), ...env },
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (result.status !== 0)
    fail(`${argv.join(' ')} exited ${result.status}:\n${result.stdout?.slice(-2000)}\n${result.stderr?.slice(-2000)}`)
  return { seconds, wallStart, wallEnd: Date.now(), stdout: stripAnsi(result.stdout) }
}

// ---- set-up ---------------------------------------------------------------------------------------------------
const cli = snapshotCli(work, fail)
const image = spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', IMAGE], { encoding: 'utf8' })
if (!ONLY || !['local', 'parts', 'share'].includes(ONLY)) {
  if (image.error) fail(`cannot run the docker CLI: ${image.error.message}`)
  if (image.status !== 0) fail(`image ${IMAGE} is not on the engine (${image.stderr.trim()}); see docs/engine-notes.md`)
}
const stamp = join(work, `suite-${FILES}-${MODULES}${UNEVEN ? '-uneven' : ''}.stamp`)
let shape
if (args.includes('--regen') || !existsSync(stamp)) {
  shape = generateSuite(suite, { files: FILES, modules: MODULES, uneven: UNEVEN })
  // The file snapshots, written once the way a developer writes them (not in CI mode, which refuses new snapshots).
  const written = spawnSync(process.execPath, [vitest, 'run', '-u'], { cwd: suite, encoding: 'utf8', env: { ...process.env, CI: '' } })
  if (written.status !== 0) fail(`writing the snapshots failed:\n${written.stdout.slice(-2000)}`)
  writeFileSync(stamp, JSON.stringify(shape))
} else shape = JSON.parse(readFileSync(stamp, 'utf8'))
writeFileSync(join(suite, 'xtest.one.json'), JSON.stringify({ containers: { all: { image: IMAGE } } }))
writeFileSync(
  join(suite, 'xtest.two.json'),
  JSON.stringify({ containers: { a: { image: IMAGE, include: ['test/a-*/**'] }, b: { image: IMAGE, include: ['test/b-*/**'] } } }),
)
writeFileSync(join(suite, 'xtest.local.json'), JSON.stringify({ containers: { all: { runtime: 'local' } } }))

const revision = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: repo, encoding: 'utf8' }).stdout?.trim() || 'unknown'
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
console.log(
  `cli: ${relative(repo, cli)} (repo at ${revision}); image ${IMAGE}; node ${process.version}; ${os.availableParallelism()} cpus; load ${load()}`,
)
console.log(
  `suite: ${shape.files} test files, ${shape.tests} tests, ${shape.modules} source modules (${relative(repo, suite)}); ${RUNS} runs a side\n`,
)

const xtest = (config, runtime) => [
  process.execPath,
  cli,
  'run',
  '--all',
  '--runtime',
  runtime,
  '--no-cache',
  '--progress',
  'none',
  '--config',
  config,
]
// By hand, in CI mode as xtest's shards run.
const dockerRun = handWrittenDockerRun({ image: IMAGE, dir: suite, env: { CI: 'true' } })
const plainVitest = [process.execPath, vitest, 'run']
const passes = (stdout) => new RegExp(`Tests\\s+${shape.tests} passed|${shape.tests} passed`).test(stdout)

// The newest run folder's shards: shard.json (start, end) and output.log (first line, Vitest's Duration line).
function lastRunShards() {
  const runs = join(suite, '.xtest/runs')
  const newest = readdirSync(runs).sort().at(-1)
  const shards = []
  for (const entry of readdirSync(join(runs, newest), { withFileTypes: true })) {
    const file = join(runs, newest, entry.name, 'shard.json')
    if (!entry.isDirectory() || !existsSync(file)) continue
    const shard = JSON.parse(readFileSync(file, 'utf8'))
    const log = stripAnsi(readFileSync(join(runs, newest, entry.name, 'output.log'), 'utf8'))
    // The first line the shard printed (xtest's own first line, the command, is written before the container starts).
    const firstLine = Date.parse(/^(\S+) (?:out|err) /m.exec(log)?.[1] ?? '')
    const duration = /Duration\s+([\d.]+)(m?s)\s*\(([^)]*)\)/.exec(log)
    shards.push({
      ...shard,
      firstLine,
      vitest: duration ? Number(duration[1]) / (duration[2] === 'ms' ? 1000 : 1) : NaN,
      phases: duration?.[3],
    })
  }
  return { shards, phases: JSON.parse(readFileSync(join(runs, newest, 'phases.json'), 'utf8')) }
}

const row = (label, values) => secondsRow(label, values, 66)
const results = []

// `control`: the hand-written command with the limits xtest puts on a shard, to tell xtest's own cost from theirs.
function compare(name, label, mine, theirs, theirsLabel, breakdown, control) {
  if (ONLY && ONLY !== name) return
  console.log(`(${name}) ${label}`)
  const argvOf = { mine, theirs, ...(control && { control: control.argv }) }
  for (const [side, argv] of Object.entries(argvOf)) {
    const warm = timed(argv)
    if (!passes(warm.stdout)) fail(`${side} did not pass all ${shape.tests} tests:\n${warm.stdout.slice(-2000)}`)
  }
  const t = { mine: [], theirs: [], control: [], before: [], start: [], vitest: [], shard: [], after: [], phases: [], steps: {} }
  const sides = Object.keys(argvOf)
  for (let r = 0; r < RUNS; r++) {
    for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
      const run = timed(argvOf[side])
      t[side].push(run.seconds)
      if (side !== 'mine' || !breakdown) continue
      const { shards, phases } = lastRunShards()
      for (const { step, ms } of phases.steps) (t.steps[step] ??= []).push(ms / 1000)
      const first = Math.min(...shards.map((s) => Date.parse(s.startedAt)))
      const last = Math.max(...shards.map((s) => Date.parse(s.endedAt)))
      t.before.push((first - run.wallStart) / 1000)
      t.after.push((run.wallEnd - last) / 1000)
      t.shard.push((last - first) / 1000)
      t.start.push(median(shards.map((s) => (s.firstLine - Date.parse(s.startedAt)) / 1000)))
      t.vitest.push(median(shards.map((s) => s.vitest)))
      t.phases.push(shards.map((s) => s.phases).join(' | '))
    }
  }
  const ratio = median(t.mine) / median(t.theirs)
  console.log(row(theirsLabel, t.theirs))
  if (control) console.log(row(control.label, t.control))
  console.log(row(mine.slice(2, 7).join(' '), t.mine))
  if (breakdown) {
    console.log(row('  before the shard (start, config, plan, engine, image)', t.before))
    console.log(row('  shards (first create → last removed)', t.shard))
    console.log(row('  container start → first line of output (median shard)', t.start))
    console.log(row("  Vitest's own Duration (median shard)", t.vitest))
    console.log(row('  after the shard (merge, store, timings, history, HTML, exit)', t.after))
    for (const [step, seconds] of Object.entries(t.steps)) console.log(row(`    ${step}`, seconds))
    console.log(`  Vitest's phases, last run: ${t.phases.at(-1)}`)
  }
  const met = ratio <= TARGETS[name]
  if (control)
    console.log(`ratio xtest / ${control.label} (medians): ${(median(t.mine) / median(t.control)).toFixed(3)}   (xtest's own cost)`)
  console.log(`ratio xtest / ${theirsLabel} (medians): ${ratio.toFixed(3)}   target <= ${TARGETS[name]}   ${met ? 'MET' : 'MISSED'}\n`)
  results.push(met)
}

// Two CI parts on the local runtime, run one after the other as two CI machines would run them side by side: the
// makespan is the slower part. xtest `--shard I/2` (balanced by the timings the warm-up recorded) and `xtest merge`
// of the two JUnit files, against Vitest's `--shard=I/2` with blob reports and `--merge-reports` to JUnit.
function compareParts() {
  if (ONLY !== 'parts') return
  console.log('(parts) two CI parts on the local runtime, and merging them')
  const reports = join(suite, '.vitest-reports')
  const sides = {
    mine: {
      part: (i) => [...xtest('xtest.local.json', 'local'), '--shard', `${i}/2`, '--junit', join(work, `part-${i}.xml`)],
      merge: () => [process.execPath, cli, 'merge', join(work, 'part-1.xml'), join(work, 'part-2.xml'), '-o', join(work, 'merged.xml')],
    },
    theirs: {
      part: (i) => [
        process.execPath,
        vitest,
        'run',
        `--shard=${i}/2`,
        '--reporter=blob',
        `--outputFile=${join(reports, `blob-${i}-2.json`)}`,
      ],
      merge: () => [process.execPath, vitest, '--merge-reports', '--reporter=junit', `--outputFile=${join(work, 'vitest-merged.xml')}`],
    },
  }
  const t = { mine: { parts: [], merge: [] }, theirs: { parts: [], merge: [] } }
  const once = (side, record) => {
    const parts = [1, 2].map((i) => timed(sides[side].part(i)).seconds)
    const merge = timed(sides[side].merge())
    const merged = readFileSync(join(work, side === 'mine' ? 'merged.xml' : 'vitest-merged.xml'), 'utf8')
    const count = (merged.match(/<testcase /g) ?? []).length
    if (count !== shape.tests) fail(`${side}: the merged parts hold ${count} testcases, not ${shape.tests}`)
    if (!record) return
    t[side].parts.push(Math.max(...parts))
    t[side].merge.push(merge.seconds)
    console.log(
      `  ${side === 'mine' ? 'xtest' : 'vitest'} parts ${parts.map((x) => x.toFixed(2)).join(' s, ')} s; merge ${merge.seconds.toFixed(2)} s`,
    )
  }
  for (const side of ['mine', 'theirs']) once(side, false)
  for (let r = 0; r < RUNS; r++) for (const side of r % 2 === 0 ? ['mine', 'theirs'] : ['theirs', 'mine']) once(side, true)
  console.log(row('vitest --shard (slower part)', t.theirs.parts))
  console.log(row('xtest --shard (slower part)', t.mine.parts))
  console.log(row('vitest --merge-reports', t.theirs.merge))
  console.log(row('xtest merge', t.mine.merge))
  const ratio = median(t.mine.parts) / median(t.theirs.parts)
  const met = ratio <= TARGETS.parts
  console.log(`ratio merge xtest / vitest (medians): ${(median(t.mine.merge) / median(t.theirs.merge)).toFixed(3)}`)
  console.log(
    `ratio makespan xtest / vitest --shard (medians): ${ratio.toFixed(3)}   target <= ${TARGETS.parts}   ${met ? 'MET' : 'MISSED'}\n`,
  )
  results.push(met)
}

// The share of xtest's recording setup file (module-record.js with the input recorder) in a shard's worker: plain
// Vitest on the files of the first two test/a-* folders (52), with the file added through a config, against without. The setup file is
// the installed package's (under node_modules), as a user's shard loads it.
function compareShare() {
  if (ONLY !== 'share') return
  const setupFile = join(cli, '..', 'vitest', 'module-record.js')
  writeFileSync(join(suite, 'vitest.recorder.mjs'), `export default { test: { setupFiles: [${JSON.stringify(setupFile)}] } }\n`)
  const dirs = readdirSync(join(suite, 'test'))
    .filter((name) => name.startsWith('a-'))
    .sort()
    .slice(0, 2)
    .map((name) => join('test', name))
  const files = dirs.reduce((sum, dir) => sum + readdirSync(join(suite, dir)).filter((name) => name.endsWith('.test.ts')).length, 0)
  console.log(`(share) the recording setup file, plain Vitest on ${files} files (${dirs.join(', ')})`)
  const sides = { mine: [...plainVitest, ...dirs, '--config', 'vitest.recorder.mjs'], theirs: [...plainVitest, ...dirs] }
  const t = { mine: [], theirs: [] }
  for (const side of ['mine', 'theirs']) timed(sides[side])
  for (let r = 0; r < RUNS; r++)
    for (const side of r % 2 === 0 ? ['mine', 'theirs'] : ['theirs', 'mine']) t[side].push(timed(sides[side]).seconds)
  console.log(row(`vitest run (${files} files)`, t.theirs))
  console.log(row('the same with the recording setup file', t.mine))
  console.log(
    `ratio (medians): ${(median(t.mine) / median(t.theirs)).toFixed(3)}   (in-shard target for all of xtest's additions <= 1.03)\n`,
  )
}

// A shard's default limits on this host with one shard at a time (README, `cpus`): all cores but one, at least 1, at
// half Docker's CPU weight, 4 GiB, 1024 processes.
const shardCpus = Math.max(1, os.availableParallelism() - 1)
const limited = [
  ...dockerRun.slice(0, 3),
  ...['--cpus', String(shardCpus), '--cpu-shares', '512', '--memory', '4g', '--memory-swap', '4g', '--pids-limit', '1024'],
  ...dockerRun.slice(3),
]
compare('one', 'the whole suite in one container', xtest('xtest.one.json', 'docker'), dockerRun, 'docker run … vitest run', true, {
  argv: limited,
  label: `the same with a shard's limits (--cpus ${shardCpus} …)`,
})
compare('two', 'the suite split over two containers', xtest('xtest.two.json', 'docker'), dockerRun, 'docker run … vitest run', true)
compare('local', 'the local runtime', xtest('xtest.local.json', 'local'), plainVitest, 'vitest run', true)
compareParts()
compareShare()
console.log(`load after: ${load()}`)
process.exitCode = results.every(Boolean) ? 0 : 1
