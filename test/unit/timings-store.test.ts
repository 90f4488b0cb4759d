import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { execa } from 'execa'
import { afterAll, describe, expect, test } from 'vitest'
import { loadTimings, recordTimings } from '../../src/store/timings.js'
import { repoRoot } from '../helpers/cli.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-timings-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const sample = (file: string, ms = 100) => ({ container: 'amp', tier: 'fast' as const, file, ms })

describe('timings store', () => {
  test('writers in 8 processes at once: every sample lands, no temp or lock file is left', async () => {
    const file = path.join(dir, 'concurrent', 'timings.json')
    // The built module (npm test builds first): plain Node 20 cannot import TypeScript.
    const store = pathToFileURL(path.join(repoRoot, 'dist/store/timings.js')).href
    // Each process records 25 samples in 5 separate writes, so writes interleave.
    const script = `const { recordTimings } = await import(${JSON.stringify(store)});
      const id = process.argv[1];
      for (let round = 0; round < 5; round++) {
        await recordTimings(${JSON.stringify(file)}, Array.from({ length: 5 }, (_, i) => ({ container: 'amp', tier: 'fast', file: 'p' + id + '-' + round + '-' + i, ms: 10 })));
      }`
    await Promise.all(
      Array.from({ length: 8 }, (_, id) => execa('node', ['--input-type=module', '-e', script, String(id)], { cwd: repoRoot })),
    )
    const timings = loadTimings(file)
    expect(Object.keys(timings.entries)).toHaveLength(8 * 25)
    expect(fs.readdirSync(path.dirname(file))).toEqual(['timings.json'])
  })

  test('a corrupt file is ignored with a warning, never a crash, and rewritten by the next record', async () => {
    const file = path.join(dir, 'corrupt.json')
    fs.writeFileSync(file, '{"version":1,"entries":{"amp/fast/x":')
    const warnings: string[] = []
    expect(loadTimings(file, (line) => warnings.push(line)).entries).toEqual({})
    await recordTimings(file, [sample('a.test.ts')], { warn: (line) => warnings.push(line) })
    expect(warnings[0]).toMatch(/corrupt.json is corrupt \(not JSON .*\); ignoring it, the next run rewrites it$/)
    expect(Object.keys(loadTimings(file).entries)).toEqual(['amp/fast/a.test.ts'])
  })

  test('a stale lock (a crashed writer) is taken over; a live one is waited for, then written around with a warning', async () => {
    const file = path.join(dir, 'locked.json')
    fs.writeFileSync(`${file}.lock`, 'someone')
    const old = new Date(Date.now() - 60_000)
    fs.utimesSync(`${file}.lock`, old, old)
    await recordTimings(file, [sample('a')])
    expect(fs.existsSync(`${file}.lock`)).toBe(false)
    fs.writeFileSync(`${file}.lock`, 'alive')
    const warnings: string[] = []
    await recordTimings(file, [sample('b')], { lockTimeoutMs: 100, warn: (line) => warnings.push(line) })
    expect(warnings).toEqual([`${file}.lock is held by another writer; recording timings without it`])
    expect(fs.readFileSync(`${file}.lock`, 'utf8')).toBe('alive')
    expect(Object.keys(loadTimings(file).entries)).toEqual(['amp/fast/a', 'amp/fast/b'])
  })
})
