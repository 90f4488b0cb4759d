// Writes a suite shaped like a real TypeScript library (seeded, so every run gets the same tree): a source tree of
// modules in folders with index files, test files that import it (also through a folder's trailing-slash index),
// `describe.each` tables and file snapshots, about ten tests a file; with `uneven`, a test of seeded cost in each.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { seededRandom } from '../lib.mjs'

const FOLDERS = 16

/**
 * The suite under `dir`: `modules` source modules in src/<folder>/, `files` test files in test/<folder>/ (split in two
 * halves, test/a-* and test/b-*, for a two-container config). Returns { files, tests } as Vitest will count them.
 */
export function generateSuite(dir, { modules = 320, files = 260, seed = 7, uneven = false } = {}) {
  const random = seededRandom(seed)
  const work = seededRandom(seed + 1)
  const pick = (n) => Math.floor(random() * n)
  rmSync(dir, { recursive: true, force: true })
  const folderOf = (m) => `m${String(m % FOLDERS).padStart(2, '0')}`
  const byFolder = new Map()
  for (let m = 0; m < modules; m++) {
    const folder = folderOf(m)
    mkdirSync(join(dir, 'src', folder), { recursive: true })
    // Each module imports up to two earlier ones (no cycles), through their folder's index or directly.
    const imports = []
    const deps = m < 2 ? [] : [pick(m), pick(m)].filter((d, i, all) => all.indexOf(d) === i)
    for (const d of deps) imports.push(`import { f${d} } from '../${folderOf(d)}/mod-${d}.js'`)
    const body = deps.length ? deps.map((d) => `f${d}(x)`).join(' + ') : 'x'
    writeFileSync(
      join(dir, 'src', folder, `mod-${m}.ts`),
      `${imports.join('\n')}\n\n/** Module ${m}. */\nexport function f${m}(x: number): number {\n  let y = ${body}\n  for (let i = 0; i < 50; i++) y = (y * 31 + ${m}) % 1_000_003\n  return y\n}\n\nexport const name${m}: string = 'mod-${m}'\n`,
    )
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), m])
  }
  for (const [folder, members] of byFolder)
    writeFileSync(join(dir, 'src', folder, 'index.ts'), `${members.map((m) => `export * from './mod-${m}.js'`).join('\n')}\n`)

  let tests = 0
  for (let t = 0; t < files; t++) {
    const half = t % 2 === 0 ? 'a' : 'b'
    const folder = `${half}-${String(t % 10).padStart(2, '0')}`
    const testDir = join(dir, 'test', folder)
    mkdirSync(testDir, { recursive: true })
    const used = [pick(modules), pick(modules), pick(modules)].filter((m, i, all) => all.indexOf(m) === i)
    const [first, ...rest] = used
    const lines = [
      "import { describe, expect, test } from 'vitest'",
      // The first import goes through the folder's index with a trailing slash, as libraries write it.
      `import { f${first} } from '../../src/${folderOf(first)}/'`,
      ...rest.map((m) => `import { f${m}, name${m} } from '../../src/${folderOf(m)}/mod-${m}.js'`),
      '',
      `describe('file ${t}', () => {`,
    ]
    let count = 0
    for (let i = 0; i < 6; i++) {
      lines.push(`  test('case ${i}', () => {`, `    expect(f${first}(${i})).toBeTypeOf('number')`, '  })')
      count++
    }
    for (const m of rest) {
      lines.push(
        `  test('name of ${m}', () => {`,
        `    expect(name${m}).toBe('mod-${m}')`,
        `    expect(f${m}(1)).toBeGreaterThanOrEqual(0)`,
        '  })',
      )
      count++
    }
    if (t % 5 === 0) {
      // A table, as real suites write them.
      lines.push(
        '  describe.each([',
        ...[1, 2, 3, 4].map((k) => `    { input: ${k}, positive: true },`),
        "  ])('table row $input', ({ input, positive }) => {",
        `    test('is a number', () => expect(f${first}(input)).toBeTypeOf('number'))`,
        "    test('sign', () => expect(f" + first + '(input) >= 0).toBe(positive))',
        '  })',
      )
      count += 8
    }
    // File snapshots (written once by the set-up's `vitest run -u`), in one file of eight.
    if (t % 8 === 0) {
      for (let i = 0; i < 2; i++) {
        lines.push(`  test('snapshot ${i}', () => {`, `    expect(String(f${first}(${i + 10}))).toMatchSnapshot()`, '  })')
        count++
      }
    }
    // Uneven (for the CI parts): files cost what real ones do, most little, a few much (an extra 0–800 ms of work,
    // 800 × u⁶ for a uniform u: a mean of 114 ms, one file in ten above 430 ms), drawn from its own seeded stream.
    if (uneven) {
      const ms = Math.round(800 * work() ** 6)
      lines.push(
        `  test('works ${ms} ms', () => {`,
        `    const end = performance.now() + ${ms}`,
        '    let spins = 0',
        '    do spins++',
        '    while (performance.now() < end)',
        '    expect(spins).toBeGreaterThan(0)',
        '  })',
      )
      count++
    }
    lines.push('})', '')
    writeFileSync(join(testDir, `t${t}.test.ts`), lines.join('\n'))
    tests += count
  }
  writeFileSync(join(dir, 'vitest.config.mjs'), '// Benchmark suite: Vitest defaults.\nexport default { test: {} }\n')
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'realistic', private: true, type: 'module' }, null, 2))
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, noEmit: true } }, null, 2),
  )
  return { files, tests, modules }
}
