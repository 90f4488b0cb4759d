#!/usr/bin/env node
// Benchmark: the result cache. A generated suite of 204 test files over 2 containers and 3 tiers (local
// runtime: no engine needed), two tests of 25 ms each per file (about 10 s of tests), every file importing a module
// that imports a leaf module of its own. Times, in one invocation: the full run (empty cache), a re-run with nothing
// changed, and a re-run after changing one leaf module (its one test file runs).
// Targets: nothing changed <= 0.05 x the full run; one leaf changed <= 0.2 x. Exits 1 when a target is missed.
// Usage: node bench/cache/run.mjs [--files 204] [--reps 2]   (after `npm run build`)
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { option, repo, snapshotCli } from '../lib.mjs'
import { timeCachedRun } from './time-run.mjs'

const FILES = Number(option('files', 204))
const REPS = Number(option('reps', 2))
const work = join(repo, 'bench/.work/cache')
const suite = join(work, 'repo')
const cacheDir = join(work, 'results')
const cli = snapshotCli(work)

function generate() {
  rmSync(suite, { recursive: true, force: true })
  for (let i = 0; i < FILES; i++) {
    const container = i % 2 === 0 ? 'a' : 'b'
    const tier = ['fast', 'slow', 'superslow'][Math.floor(i / 2) % 3]
    const dir = join(suite, container, 'lib')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, `leaf-${i}.js`), `export const leaf = ${i}\n`)
    writeFileSync(join(dir, `mid-${i}.js`), `import { leaf } from './leaf-${i}.js'\nexport const mid = leaf + 1\n`)
    const tag = tier === 'fast' ? '' : `/** @module-tag ${tier} */\n`
    writeFileSync(
      join(suite, container, `f${i}.test.js`),
      `${tag}import { expect, test } from 'vitest'
import { mid } from './lib/mid-${i}.js'
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
test('one', async () => { await sleep(25); expect(mid).toBe(${i + 1}) })
test('two', async () => { await sleep(25); expect(mid).toBeGreaterThan(0) })
`,
    )
  }
  writeFileSync(join(suite, 'vitest.config.mjs'), 'export default {}\n')
  writeFileSync(
    join(suite, 'xtest.config.json'),
    JSON.stringify({
      containers: { a: { runtime: 'local', include: ['a/**'] }, b: { runtime: 'local', include: ['b/**'] } },
    }),
  )
}

const timeRun = (label) => timeCachedRun({ cli, suite, cacheDir, label, width: 16 }).ms

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const git = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: repo, encoding: 'utf8' }).stdout.trim()
console.log(`bench/cache: ${FILES} files, 2 containers x 3 tiers, local runtime (${git})`)
const full = []
const same = []
const leaf = []
for (let rep = 0; rep < REPS; rep++) {
  generate()
  rmSync(cacheDir, { recursive: true, force: true })
  full.push(timeRun('full run'))
  same.push(timeRun('nothing changed'))
  appendFileSync(join(suite, 'a/lib/leaf-0.js'), '// changed\n')
  leaf.push(timeRun('one leaf changed'))
}
const ratioSame = median(same) / median(full)
const ratioLeaf = median(leaf) / median(full)
console.log(`nothing changed: ${ratioSame.toFixed(3)} x the full run (target <= 0.05)`)
console.log(`one leaf changed: ${ratioLeaf.toFixed(3)} x the full run (target <= 0.2)`)
process.exit(ratioSame <= 0.05 && ratioLeaf <= 0.2 ? 0 : 1)
