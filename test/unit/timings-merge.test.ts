import { describe, expect, test } from 'vitest'
import { emptyTimings, mergeTimings, parseTimings, timingOf } from '../../src/store/timings.js'

const now = new Date('2026-01-02T03:04:05.000Z')

describe('timings.json', () => {
  test('merge smooths a known file (half old, half new), adds new ones, sorts keys', () => {
    const first = mergeTimings(
      emptyTimings(),
      [
        { container: 'opt', tier: 'slow', file: 'b.test.ts', ms: 4000 },
        { container: 'amp', tier: 'fast', file: 'a.test.ts', ms: 100.4 },
      ],
      now,
    )
    const second = mergeTimings(first, [{ container: 'opt', tier: 'slow', file: 'b.test.ts', ms: 2000 }], now)
    expect(second).toEqual({
      version: 1,
      updatedAt: now.toISOString(),
      entries: {
        'amp/fast/a.test.ts': { ms: 100, runs: 1, seen: now.toISOString() },
        'opt/slow/b.test.ts': { ms: 3000, runs: 2, seen: now.toISOString() },
      },
    })
    expect(Object.keys(second.entries)).toEqual(['amp/fast/a.test.ts', 'opt/slow/b.test.ts'])
    expect(timingOf(second, 'opt', 'slow', 'b.test.ts')).toBe(3000)
  })

  test('the file is bounded: past the limit the least recently seen entries go', () => {
    let timings = emptyTimings()
    for (let i = 0; i < 5; i++) {
      timings = mergeTimings(timings, [{ container: 'amp', tier: 'fast', file: `f${i}`, ms: 10 }], new Date(Date.UTC(2026, 0, i + 1)), 3)
    }
    expect(Object.keys(timings.entries)).toEqual(['amp/fast/f2', 'amp/fast/f3', 'amp/fast/f4'])
  })

  test('round-trips through JSON', () => {
    const timings = mergeTimings(emptyTimings(), [{ container: 'amp', tier: 'fast', file: 'x', ms: 5 }], now)
    expect(parseTimings(JSON.stringify(timings))).toEqual({ ok: true, value: timings })
  })

  test.each([
    ['{"version":1,"entr', 'not JSON'],
    ['[]', 'not a version 1 timings file'],
    ['{"version":2,"entries":{}}', 'not a version 1 timings file'],
    ['{"version":1,"entries":{"amp/fast/x":{"ms":"fast"}}}', "entry 'amp/fast/x' has no valid ms"],
  ])('a corrupt file is a problem line, not a throw: %s', (text, problem) => {
    const parsed = parseTimings(text)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.message).toMatch(new RegExp(`^${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
  })
})
