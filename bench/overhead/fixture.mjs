// Writes the overhead benchmark's fixture repos (inside the repository, so they are in the git repo xtest mounts at /app).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// A test file of `tests` tests, each sleeping `ms` and doing a little CPU work: tests of one file run one after another.
function testFile(name, tests, ms) {
  return [
    "import { describe, expect, test } from 'vitest'",
    '',
    'const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))',
    '',
    `describe('${name}', () => {`,
    `  test.each(Array.from({ length: ${tests} }, (_, i) => i))('step %i', async (i) => {`,
    `    await sleep(${ms})`,
    '    let sum = 0',
    '    for (let k = 0; k < 20_000; k++) sum += k % (i + 2)',
    '    expect(sum).toBeGreaterThan(0)',
    '  })',
    '})',
    '',
  ].join('\n')
}

// A Vitest config with no imports: Vitest (resolved from /app/node_modules) loads it the same way for both sides.
const VITEST_CONFIG = '// Benchmark fixture: plain Vitest defaults.\nexport default { test: {} }\n'

function writeRepo(dir, containers, files) {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'vitest.config.mjs'), VITEST_CONFIG)
  writeFileSync(join(dir, 'xtest.config.json'), `${JSON.stringify({ containers }, null, 2)}\n`)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return Object.keys(files).sort()
}

/** (a) One container `c` and one shard: 4 files × 5 tests × 50 ms = 1 s of tests. */
export function writeSingle(dir, image) {
  const files = {}
  for (let f = 1; f <= 4; f++) files[`tests/part-${f}.test.mjs`] = testFile(`part ${f}`, 5, 50)
  return writeRepo(dir, { c: { image } }, files)
}

/** (b) Eight containers c1..c8, each taking one folder: one shard each of 4 tests × 250 ms = 1 s. */
export function writeEight(dir, image) {
  const files = {}
  const containers = {}
  for (let s = 1; s <= 8; s++) {
    files[`s${s}/shard-${s}.test.mjs`] = testFile(`shard ${s}`, 4, 250)
    containers[`c${s}`] = { image, include: [`s${s}/**`] }
  }
  return writeRepo(dir, containers, files)
}
