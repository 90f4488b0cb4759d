#!/usr/bin/env node
// Benchmark: the result cache on a suite whose files depend on more than modules (observed inputs). 60 test files on
// the local runtime, each matching a snapshot file, reading a fixture with node:fs and listing a fixture folder, plus
// a globalSetup file and a setup file that reads a shared fixture. Times the full run and a re-run with nothing
// changed, then one fixture changed (its one file runs).
// Targets: nothing changed takes >= 95 % of the files from the cache and <= 0.05 x the full run; one fixture
// changed <= 0.2 x. Exits 1 when a target is missed.
// Usage: node bench/cache/inputs.mjs [--files 60]   (after `npm run build`)
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { option, repo, snapshotCli } from '../lib.mjs'
import { timeCachedRun } from './time-run.mjs'

const FILES = Number(option('files', 60))
const work = join(repo, 'bench/.work/cache-inputs')
const suite = join(work, 'repo')
const cacheDir = join(work, 'results')
const cli = snapshotCli(work)

function generate() {
  rmSync(suite, { recursive: true, force: true })
  for (const dir of ['t/__snapshots__', 'data/lists', 'setup']) mkdirSync(join(suite, dir), { recursive: true })
  writeFileSync(join(suite, 'setup/global.js'), "export default ({ provide }) => provide('base', 1)\n")
  writeFileSync(join(suite, 'setup/each.js'), "import fs from 'node:fs'\nglobalThis.shared = fs.readFileSync('data/shared.txt', 'utf8')\n")
  writeFileSync(join(suite, 'data/shared.txt'), 'shared\n')
  for (let i = 0; i < FILES; i++) {
    writeFileSync(join(suite, `data/f${i}.json`), JSON.stringify({ value: i }))
    mkdirSync(join(suite, `data/lists/l${i}`), { recursive: true })
    writeFileSync(join(suite, `data/lists/l${i}/a.txt`), 'a\n')
    writeFileSync(
      join(suite, `t/f${i}.test.js`),
      `import fs from 'node:fs'
import { expect, inject, test } from 'vitest'
test('reads, lists, snapshots', () => {
  const data = JSON.parse(fs.readFileSync('data/f${i}.json', 'utf8'))
  expect({ data, names: fs.readdirSync('data/lists/l${i}'), base: inject('base'), shared: globalThis.shared }).toMatchSnapshot()
})
`,
    )
    writeFileSync(
      join(suite, `t/__snapshots__/f${i}.test.js.snap`),
      `// Vitest Snapshot v1, https://vitest.dev/guide/snapshot.html

exports[\`reads, lists, snapshots 1\`] = \`
{
  "base": 1,
  "data": {
    "value": ${i},
  },
  "names": [
    "a.txt",
  ],
  "shared": "shared
",
}
\`;
`,
    )
  }
  writeFileSync(
    join(suite, 'vitest.config.mjs'),
    "export default { test: { globalSetup: ['setup/global.js'], setupFiles: ['setup/each.js'] } }\n",
  )
  writeFileSync(join(suite, 'xtest.config.json'), JSON.stringify({ containers: { a: { runtime: 'local' } } }))
}

const timeRun = (label) => timeCachedRun({ cli, suite, cacheDir, label, width: 18 })

const git = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: repo, encoding: 'utf8' }).stdout.trim()
console.log(`bench/cache inputs: ${FILES} files with snapshots, fs fixtures, listings, globalSetup, local runtime (${git})`)
generate()
rmSync(cacheDir, { recursive: true, force: true })
const full = timeRun('full run')
const same = timeRun('nothing changed')
appendFileSync(join(suite, 'data/f0.json'), ' ')
const one = timeRun('one fixture changed')
const hits = same.cached / FILES
console.log(`nothing changed: ${(hits * 100).toFixed(1)} % of the files from the cache (target >= 95 %)`)
console.log(`nothing changed: ${(same.ms / full.ms).toFixed(3)} x the full run (target <= 0.05)`)
console.log(`one fixture changed: ${(one.ms / full.ms).toFixed(3)} x the full run (target <= 0.2); ${one.cached} from the cache`)
process.exit(hits >= 0.95 && same.ms / full.ms <= 0.05 && one.ms / full.ms <= 0.2 && one.cached === FILES - 1 ? 0 : 1)
