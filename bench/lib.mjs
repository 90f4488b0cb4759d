// Shared by the benchmark scripts: command-line options and a snapshot of the built CLI.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { userInfo } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const args = process.argv.slice(2)

/** `--name VALUE` from the command line, or `fallback`. */
export const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`)
  return index === -1 ? fallback : args[index + 1]
}

/**
 * The CLI under test: `--cli PATH`, or a snapshot of dist/ (with package.json) under `work/node_modules/vitest-xtest`,
 * so a concurrent `npm run build` (which starts with rm -rf dist) cannot break the runs half-way. Under node_modules,
 * as a user's install is: Vitest loads the plugin's setup file natively there, but transforms it through Vite from
 * anywhere else, which would time a cost no user pays.
 */
export function snapshotCli(
  work,
  onMissing = (message) => {
    throw new Error(message)
  },
) {
  const explicit = option('cli', null)
  if (explicit) return resolve(explicit)
  const dist = join(repo, 'dist')
  for (let waited = 0; !existsSync(join(dist, 'cli.js')); waited++) {
    if (waited === 60) return onMissing('dist/cli.js is missing: run `npm run build` first')
    spawnSync('sleep', ['1'])
  }
  rmSync(join(work, 'xtest-cli'), { recursive: true, force: true })
  const snapshot = join(work, 'node_modules/vitest-xtest')
  rmSync(snapshot, { recursive: true, force: true })
  mkdirSync(snapshot, { recursive: true })
  cpSync(dist, join(snapshot, 'dist'), { recursive: true })
  cpSync(join(repo, 'package.json'), join(snapshot, 'package.json'))
  return join(snapshot, 'dist/cli.js')
}

/** mulberry32: a small seeded generator (floats in [0, 1)), so generated trees and random cases can be replayed. */
export function seededRandom(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The median of `values` (the mean of the middle two for an even count). */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** One row of seconds: the label, then median, minimum and maximum (see `secondsHeader`). */
export const secondsRow = (label, values, width) =>
  `${label.padEnd(width)} ${[median(values), Math.min(...values), Math.max(...values)].map((s) => `${s.toFixed(2).padStart(6)} s`).join(' ')}`

/** The header over `secondsRow`s. */
export const secondsHeader = (width) => `${'command'.padEnd(width)} ${'median'.padStart(8)} ${'min'.padStart(8)} ${'max'.padStart(8)}`

/**
 * The hand-written control: `docker run` of the repository's Vitest in `dir` (the repository at /app, writable as a
 * user would mount it, no network, this user), optionally with `env` (e.g. CI=true) and the test `files`.
 */
export const handWrittenDockerRun = ({ image, dir, files = [], env = {} }) => [
  'docker',
  'run',
  '--rm',
  ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
  '-v',
  `${repo}:/app`,
  '-w',
  `/app/${relative(repo, dir)}`,
  '--network',
  'none',
  '--user',
  `${userInfo().uid}:${userInfo().gid}`,
  image,
  'node',
  '/app/node_modules/vitest/vitest.mjs',
  'run',
  ...files,
]
