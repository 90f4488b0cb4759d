#!/usr/bin/env node
// Benchmark: what xtest adds around Docker shards.
//  (a) one shard of ~1 s of tests: `xtest run --container c --tier fast --runtime docker` against the hand-written
//      `docker run --rm ... xtest-node:20 node /app/node_modules/vitest/vitest.mjs run <same files>`; target <= 1.15.
//  (b) eight shards (8 containers, ~1 s of sleep-based tests each): `--concurrency 2` against `--concurrency 1`;
//      target <= 0.6. As a control, the same eight shards as bare `docker run`s, 1 and 2 at a time (--no-control skips).
// Usage: node bench/overhead/run.mjs [--runs 5] [--runs-b 3] [--only a|b] [--no-control] [--image xtest-node:20] [--cli dist/cli.js]
// Exits 1 when a target is missed, 2 when the set-up is broken (no engine, no image, a failing run).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import { join, relative } from 'node:path'
import { args, handWrittenDockerRun, median, option, repo, secondsHeader, secondsRow, snapshotCli } from '../lib.mjs'
import { writeEight, writeSingle } from './fixture.mjs'

const work = join(repo, 'bench/.work/overhead')
const RUNS_A = Number(option('runs', 5))
const RUNS_B = Number(option('runs-b', 3))
const ONLY = option('only', null)
const CONTROL = !args.includes('--no-control')
const IMAGE = option('image', 'xtest-node:20')
const TARGET_A = 1.15
const TARGET_B = 0.6

function fail(message) {
  console.error(`bench/overhead: ${message}`)
  process.exit(2)
}

// Runs commands at most `n` at a time (a plain pool, what an ideal scheduler does); resolves to the wall seconds.
async function pool(commands, n, cwd) {
  const started = process.hrtime.bigint()
  let next = 0
  const worker = async () => {
    while (next < commands.length) {
      const argv = commands[next++]
      await new Promise((done, reject) => {
        const child = spawn(argv[0], argv.slice(1), { cwd, stdio: 'ignore' })
        child.on('error', reject).on('exit', (code) => (code === 0 ? done() : reject(new Error(`${argv.join(' ')} exited ${code}`))))
      })
    }
  }
  await Promise.all(Array.from({ length: n }, worker)).catch((error) => fail(error.message))
  return Number(process.hrtime.bigint() - started) / 1e9
}

// One timed run of a command in `cwd`; throws with its output when it fails.
function timed(argv, cwd) {
  const wallStart = Date.now()
  const started = process.hrtime.bigint()
  const result = spawnSync(argv[0], argv.slice(1), {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (result.status !== 0) {
    fail(
      `${argv.join(' ')} (in ${relative(repo, cwd)}) exited ${result.status}:\n${(result.stdout ?? '').slice(-1500)}\n${(result.stderr ?? '').slice(-1500)}`,
    )
  }
  return { seconds, wallStart, wallEnd: Date.now(), stdout: result.stdout, stderr: result.stderr }
}

// The newest run folder's shard.json files: how long xtest saw each container live (create → removed).
function lastRunShards(dir) {
  const runs = join(dir, '.xtest/runs')
  const newest = readdirSync(runs).sort().at(-1)
  const shards = []
  for (const entry of readdirSync(join(runs, newest), { withFileTypes: true })) {
    const file = join(runs, newest, entry.name, 'shard.json')
    if (entry.isDirectory() && existsSync(file)) shards.push(JSON.parse(readFileSync(file, 'utf8')))
  }
  return shards
}

function passedCount(stdout) {
  return Number(/(\d+) passed/.exec(stdout)?.[1] ?? NaN)
}

const WIDTH = 64
const row = (label, values) => secondsRow(label, values, WIDTH)
const header = secondsHeader(WIDTH)

// ---- set-up checks -------------------------------------------------------------------------------------------
const cli = snapshotCli(work, fail)
const docker = spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', IMAGE], { encoding: 'utf8' })
if (docker.error) fail(`cannot run the docker CLI: ${docker.error.message}`)
if (docker.status !== 0) fail(`image ${IMAGE} is not on the engine (${docker.stderr.trim()}); see docs/engine-notes.md`)
const revision = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: repo, encoding: 'utf8' }).stdout?.trim() || 'unknown'
console.log(
  `cli: ${relative(repo, cli)} (repo at ${revision}); image ${IMAGE} ${docker.stdout.trim().slice(0, 19)}; node ${process.version}; ${os.availableParallelism()} cpus; load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
)
const results = []

// The control: a hand-written `docker run` of Vitest on `files` in `dir`.
const dockerRun = (dir, files) => handWrittenDockerRun({ image: IMAGE, dir, files })

// ---- (a) one shard: xtest vs a hand-written docker run ---------------------------------------------------------
if (!ONLY || ONLY === 'a') {
  const dir = join(work, 'single')
  const files = writeSingle(dir, IMAGE)
  const xtest = [process.execPath, cli, 'run', '--container', 'c', '--tier', 'fast', '--runtime', 'docker', '--no-cache']
  const bare = dockerRun(dir, files)
  console.log(
    `(a) one shard: ${files.length} files, 20 tests, 1 s of tests (${relative(repo, dir)}); ${RUNS_A} runs each, interleaved, after one warm-up each`,
  )
  // Warm-up (page cache, image layers, Vitest's transform of the config) and a check that both pass all 20 tests.
  const warmX = timed(xtest, dir)
  const warmB = timed(bare, dir)
  if (passedCount(warmX.stdout) !== 20) fail(`xtest did not report 20 passed tests:\n${warmX.stdout}`)
  if (!/Tests\s+20 passed/.test(warmB.stdout.replace(/\x1b\[[0-9;]*m/g, ''))) fail(`the docker run did not pass 20 tests:\n${warmB.stdout}`)
  const t = { xtest: [], bare: [], shard: [], before: [], after: [] }
  for (let run = 0; run < RUNS_A; run++) {
    for (const name of run % 2 === 0 ? ['bare', 'xtest'] : ['xtest', 'bare']) {
      if (name === 'bare') {
        t.bare.push(timed(bare, dir).seconds)
        continue
      }
      const x = timed(xtest, dir)
      const [shard] = lastRunShards(dir)
      t.xtest.push(x.seconds)
      t.shard.push(shard.durationMs / 1000)
      t.before.push((Date.parse(shard.startedAt) - x.wallStart) / 1000)
      t.after.push((x.wallEnd - Date.parse(shard.endedAt)) / 1000)
    }
  }
  const ratio = median(t.xtest) / median(t.bare)
  console.log(`\n${header}`)
  console.log(row('docker run --rm ... vitest run <files>', t.bare))
  console.log(row('xtest run --container c --tier fast --runtime docker', t.xtest))
  console.log(row('  of which the shard (container create → removed)', t.shard))
  console.log(row('  before the shard (start, imports, config, plan, engine, image)', t.before))
  console.log(row('  after the shard (JUnit merge, summary, exit)', t.after))
  console.log(`ratio xtest / docker run (medians): ${ratio.toFixed(3)}   target <= ${TARGET_A}   ${ratio <= TARGET_A ? 'MET' : 'MISSED'}\n`)
  results.push(ratio <= TARGET_A)
}

// ---- (b) eight shards: --concurrency 2 vs --concurrency 1 -------------------------------------------------------
if (!ONLY || ONLY === 'b') {
  const dir = join(work, 'eight')
  const files = writeEight(dir, IMAGE)
  const run = (n) => [process.execPath, cli, 'run', '--tier', 'fast', '--runtime', 'docker', '--no-cache', '--concurrency', String(n)]
  // Control: the same eight shards as hand-written `docker run`s, 1 and 2 at a time: what this machine allows.
  const bareShards = files.map((file) => dockerRun(dir, [file]))
  console.log(
    `(b) eight shards: 8 containers × 1 file × 4 tests × 250 ms (${relative(repo, dir)}); ${RUNS_B} runs each, interleaved, after one warm-up`,
  )
  const warm = timed(run(2), dir)
  if (passedCount(warm.stdout) !== 32) fail(`xtest did not report 32 passed tests:\n${warm.stdout}`)
  const t = { 1: [], 2: [], shard1: [], shard2: [], bare1: [], bare2: [] }
  for (let r = 0; r < RUNS_B; r++) {
    for (const n of r % 2 === 0 ? [1, 2] : [2, 1]) {
      t[n].push(timed(run(n), dir).seconds)
      const shards = lastRunShards(dir)
      if (shards.length !== 8) fail(`expected 8 shards, the run folder has ${shards.length}`)
      t[`shard${n}`].push(median(shards.map((s) => s.durationMs / 1000)))
      if (CONTROL) t[`bare${n}`].push(await pool(bareShards, n, dir))
    }
  }
  const ratio = median(t[2]) / median(t[1])
  console.log(`\n${header}`)
  console.log(row('xtest run --concurrency 1 (8 shards one after another)', t[1]))
  console.log(row('xtest run --concurrency 2', t[2]))
  console.log(row('  median shard (container create → removed), concurrency 1', t.shard1))
  console.log(row('  median shard (container create → removed), concurrency 2', t.shard2))
  if (CONTROL) {
    console.log(row('control: the 8 shards as bare docker runs, 1 at a time', t.bare1))
    console.log(row('control: the 8 shards as bare docker runs, 2 at a time', t.bare2))
  }
  console.log(
    `ratio concurrency 2 / concurrency 1 (medians): ${ratio.toFixed(3)}   target <= ${TARGET_B}   ${ratio <= TARGET_B ? 'MET' : 'MISSED'}`,
  )
  if (CONTROL)
    console.log(
      `control ratio, bare docker runs 2 at a time / 1 at a time: ${(median(t.bare2) / median(t.bare1)).toFixed(3)} (what this machine allows)`,
    )
  console.log('')
  results.push(ratio <= TARGET_B)
}

console.log(
  `load after: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
process.exitCode = results.every(Boolean) ? 0 : 1
