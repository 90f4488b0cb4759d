#!/usr/bin/env node
// Benchmark: how evenly `--shard I/N` splits a suite with skewed file durations, xtest's split (longest
// processing time first, on recorded timings) against Vitest's own `--shard` (no timings).
// A generated suite of 400 files (log-normal and Pareto durations, several seeds), split into N = 4 and 8.
// Figure: makespan (the largest part, in real durations) / lower bound max(total / N, longest file).
// Target: xtest <= 1.10 and below Vitest's on the same data. Exits 1 when a target is missed.
// Usage: node bench/balance/run.mjs [--files 400] [--seeds 5]   (after `npm run build`: uses dist/)
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { option, repo, seededRandom } from '../lib.mjs'

const { listWork, weighWork } = await import(pathToFileURL(resolve(repo, 'dist/plan/balance.js')).href)
const { splitShards } = await import(pathToFileURL(resolve(repo, 'dist/plan/shard-split.js')).href)

const FILES = Number(option('files', 400))
const SEEDS = Number(option('seeds', 5))
const TARGET = 1.1

const DISTRIBUTIONS = {
  // Median 1 s, sigma 1.2: most files take a second, a few take tens of seconds.
  lognormal: (next) => {
    const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
    return 1000 * Math.exp(1.2 * normal)
  },
  // Pareto, alpha 1.5, minimum 200 ms: a heavy tail (infinite variance).
  pareto: (next) => 200 / (1 - next()) ** (1 / 1.5),
}

function generateSuite(seed, draw) {
  const next = seededRandom(seed)
  return Array.from({ length: FILES }, (_, i) => ({
    file: `packages/p${String(i % 23).padStart(2, '0')}/src/module-${String(i).padStart(3, '0')}.test.ts`,
    ms: Math.max(1, Math.round(draw(next))),
  }))
}

// xtest: the pure split from dist/, fed the recorded durations as timings.json would hold them.
function xtestParts(suite, count) {
  const shards = [{ id: 'amp.fast', container: 'amp', tier: 'fast', files: suite.map((f) => f.file).sort() }]
  const timings = {
    version: 1,
    updatedAt: '',
    entries: Object.fromEntries(suite.map((f) => [`amp/fast/${f.file}`, { ms: f.ms, runs: 1, seen: '' }])),
  }
  const { weights } = weighWork(listWork(shards), timings)
  return Array.from({ length: count }, (_, i) => splitShards(shards, weights, { index: i + 1, count }).shards.flatMap((s) => s.files))
}

// Vitest 4.1 BaseSequencer.shard (node_modules/vitest/dist/chunks/coverage.*.js): SHA-1 of the root-relative path
// as `resolve(root, moduleId).slice(root.length)` gives it (with its leading '/'), sorted by hash, contiguous
// ranges of floor(n / count), the first n % count shards one file more (calculateShardRange). Checked against
// `vitest run --shard=I/3` on 11 files: the same parts.
function vitestParts(suite, count) {
  const sorted = suite
    .map((f) => ({ file: f.file, hash: createHash('sha1').update(`/${f.file}`).digest('hex') }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
  const base = Math.floor(sorted.length / count)
  const extra = sorted.length % count
  return Array.from({ length: count }, (_, i) => {
    const index = i + 1
    const start = extra >= index ? (base + 1) * (index - 1) : extra * (base + 1) + (index - extra - 1) * base
    const end = extra >= index ? start + base + 1 : start + base
    return sorted.slice(start, end).map((f) => f.file)
  })
}

function ratio(suite, parts, count) {
  const ms = new Map(suite.map((f) => [f.file, f.ms]))
  const covered = parts.flat()
  if (covered.length !== suite.length || new Set(covered).size !== suite.length) throw new Error('a split lost or repeated a file')
  const loads = parts.map((part) => part.reduce((sum, file) => sum + ms.get(file), 0))
  const total = suite.reduce((sum, f) => sum + f.ms, 0)
  const bound = Math.max(total / count, ...suite.map((f) => f.ms))
  return Math.max(...loads) / bound
}

let failed = false
console.log(
  `${FILES} files, ${SEEDS} seeds per distribution; makespan / max(total/N, longest file)  (target: xtest <= ${TARGET} and < vitest)`,
)
console.log('distribution  N  xtest mean  xtest worst  vitest mean  vitest worst')
for (const [name, draw] of Object.entries(DISTRIBUTIONS)) {
  for (const count of [4, 8]) {
    const xs = []
    const vs = []
    for (let seed = 1; seed <= SEEDS; seed++) {
      const suite = generateSuite(seed * 7919 + count, draw)
      xs.push(ratio(suite, xtestParts(suite, count), count))
      vs.push(ratio(suite, vitestParts(suite, count), count))
    }
    const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length
    const ok = Math.max(...xs) <= TARGET && xs.every((x, i) => x <= vs[i])
    failed ||= !ok
    console.log(
      `${name.padEnd(12)} ${String(count).padStart(2)}  ${mean(xs).toFixed(3).padStart(10)}  ${Math.max(...xs)
        .toFixed(3)
        .padStart(11)}  ${mean(vs).toFixed(3).padStart(11)}  ${Math.max(...vs)
        .toFixed(3)
        .padStart(12)}  ${ok ? 'ok' : 'MISSED'}`,
    )
  }
}
process.exitCode = failed ? 1 : 0
