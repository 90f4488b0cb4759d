// Generates the plan benchmark's tree: FILES test files in FOLDERS folders, deterministic (seeded), with a few
// hundred tier-tagged files, a few @xtest-container pins, some non-test sources and an ignored node_modules.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { seededRandom } from '../lib.mjs'

const EXTENSIONS = ['test.ts', 'test.ts', 'test.ts', 'test.ts', 'spec.ts', 'test.tsx', 'test.js', 'test.mjs', 'spec.mts', 'test.cjs']
const SUBJECTS = ['parser', 'cache', 'router', 'format', 'money', 'dates', 'queue', 'store', 'schema', 'client', 'auth', 'graph']

function body(rnd, subject, kind) {
  const n = 1 + Math.floor(rnd() * 4)
  const head = [
    "import { describe, expect, test } from 'vitest'",
    `import { ${subject}, make${subject[0].toUpperCase()}${subject.slice(1)} } from './${subject}.js'`,
    '',
  ]
  if (kind === 'module-superslow') head.unshift('/** @module-tag superslow */')
  if (kind === 'module-slow') head.unshift('/**\n * Long-running integration checks.\n * @module-tag slow\n */')
  if (kind === 'pin') head.unshift('/** @xtest-container opt */')
  const cases = []
  for (let i = 0; i < n; i++) {
    const value = Math.floor(rnd() * 1000)
    const options =
      kind === 'option-slow' && i === 0
        ? ", { tags: ['slow'] }"
        : kind === 'option-superslow' && i === n - 1
          ? ", { tags: ['superslow'] }"
          : ''
    cases.push(
      `  test('${subject} handles case ${i} (${value})'${options}, () => {`,
      `    const input = make${subject[0].toUpperCase()}${subject.slice(1)}({ size: ${value}, label: 'case-${i}' })`,
      `    expect(${subject}(input)).toMatchObject({ ok: true, size: ${value} })`,
      '  })',
    )
  }
  return [...head, `describe('${subject}', () => {`, ...cases, '})', ''].join('\n')
}

/**
 * Writes the tree under `dir` unless a stamp says the same parameters were already written there.
 * Returns { files, bytes, tagged, pinned, generated }.
 */
export function generateTree(dir, { files = 50_000, folders = 500, seed = 42, force = false } = {}) {
  const stampPath = join(dir, '.bench-stamp.json')
  const wanted = JSON.stringify({ version: 1, files, folders, seed })
  if (!force && existsSync(stampPath)) {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8'))
    if (JSON.stringify({ version: stamp.version, files: stamp.files, folders: stamp.folders, seed: stamp.seed }) === wanted) {
      return { ...stamp, generated: false }
    }
  }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const rnd = seededRandom(seed) // every run benches the same tree
  const perFolder = Math.ceil(files / folders)
  let written = 0
  let bytes = 0
  const counts = { 'module-superslow': 0, 'module-slow': 0, 'option-slow': 0, 'option-superslow': 0, pin: 0 }
  for (let f = 0; f < folders && written < files; f++) {
    const folder = join(dir, `pkg-${String(f).padStart(3, '0')}`)
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, 'index.ts'), `export * from './lib.js'\n`)
    writeFileSync(join(folder, 'lib.ts'), `export const name = 'pkg-${f}'\n`)
    for (let i = 0; i < perFolder && written < files; i++, written++) {
      const subject = SUBJECTS[Math.floor(rnd() * SUBJECTS.length)]
      const ext = EXTENSIONS[Math.floor(rnd() * EXTENSIONS.length)]
      // About 0.8 % of files carry tier tags (400 of 50,000) and 0.06 % pin a container (30 of 50,000).
      const r = rnd()
      const kind =
        r < 0.002
          ? 'module-superslow'
          : r < 0.004
            ? 'module-slow'
            : r < 0.006
              ? 'option-slow'
              : r < 0.008
                ? 'option-superslow'
                : r < 0.0086
                  ? 'pin'
                  : 'plain'
      if (kind !== 'plain') counts[kind]++
      const text = body(rnd, subject, kind)
      writeFileSync(join(folder, `${subject}-${i}.${ext}`), text)
      bytes += Buffer.byteLength(text)
    }
  }
  // An ignored node_modules with test files of its own (both sides skip it).
  const nm = join(dir, 'node_modules/some-lib/test')
  mkdirSync(nm, { recursive: true })
  for (let i = 0; i < 20; i++) writeFileSync(join(nm, `lib-${i}.test.js`), "throw new Error('not a test of this repo')\n")
  writeFileSync(
    join(dir, 'xtest.config.json'),
    `${JSON.stringify(
      {
        containers: {
          amp: { image: 'xtest-node:20', exclude: ['pkg-00*/**'] },
          opt: { image: 'xtest-node:20', include: ['pkg-00*/**'] },
        },
      },
      null,
      2,
    )}\n`,
  )
  const stamp = { version: 1, files, folders, seed, written, bytes, counts }
  writeFileSync(stampPath, `${JSON.stringify(stamp, null, 2)}\n`)
  return { ...stamp, generated: true }
}
