import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { findOtherOpenSplits, recordPartTimings } from '../../src/store/part-timings.js'
import { loadTimings } from '../../src/store/timings.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})
const timingsFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-parts-'))
  dirs.push(dir)
  return path.join(dir, 'timings.json')
}
const sample = (file: string, ms: number) => ({ container: 'amp', tier: 'fast' as const, file, ms })
const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`

// Issue 14, point 0: a part's timings wait for the other parts of its split; the last one folds them all.
describe('part timings', () => {
  test("timings.json is untouched until the last part of the split is in, then gets every part's samples once", async () => {
    const file = timingsFile()
    const warnings: string[] = []
    const warn = (line: string) => warnings.push(line)
    expect(await recordPartTimings(file, [sample('a.test.ts', 100)], { planHash: A, index: 1, count: 3 }, warn)).toBe(false)
    expect(await recordPartTimings(file, [sample('b.test.ts', 200)], { planHash: A, index: 3, count: 3 }, warn)).toBe(false)
    expect(await recordPartTimings(file, [sample('b.test.ts', 999)], { planHash: A, index: 3, count: 3 }, warn)).toBe(false)
    expect(fs.existsSync(file)).toBe(false)
    expect(findOtherOpenSplits(file, { planHash: B, index: 2, count: 3 })).toEqual([1, 3])
    expect(findOtherOpenSplits(file, { planHash: A, index: 2, count: 3 })).toEqual([])
    expect(findOtherOpenSplits(file, { planHash: B, index: 1, count: 2 })).toEqual([])
    expect(await recordPartTimings(file, [], { planHash: A, index: 2, count: 3 }, warn)).toBe(true)
    const timings = loadTimings(file)
    expect(Object.fromEntries(Object.entries(timings.entries).map(([key, entry]) => [key, [entry.ms, entry.runs]]))).toEqual({
      'amp/fast/a.test.ts': [100, 1],
      'amp/fast/b.test.ts': [999, 1],
    })
    expect(fs.readdirSync(path.join(path.dirname(file), 'timings.parts'))).toEqual([])
    expect(warnings).toEqual([])
  })

  test('a part file that is not data is a warning and left out; the others still land', async () => {
    const file = timingsFile()
    await recordPartTimings(file, [sample('a.test.ts', 100)], { planHash: A, index: 1, count: 2 }, () => {})
    const [split] = fs.readdirSync(path.join(path.dirname(file), 'timings.parts'))
    fs.writeFileSync(
      path.join(path.dirname(file), 'timings.parts', split!, 'part-1.json'),
      '{"samples":[{"container":"amp","tier":"__proto__","file":"x","ms":1}, 7]}',
    )
    const warnings: string[] = []
    expect(
      await recordPartTimings(file, [sample('b.test.ts', 200)], { planHash: A, index: 2, count: 2 }, (line) => warnings.push(line)),
    ).toBe(true)
    expect(Object.keys(loadTimings(file).entries)).toEqual(['amp/fast/b.test.ts'])
  })
})
