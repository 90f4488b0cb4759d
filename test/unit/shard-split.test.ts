import { describe, expect, test } from 'vitest'
// Plain JS shared with the benchmarks (mulberry32): a failing case can be replayed from its seed.
import { seededRandom } from '../../bench/lib.mjs'
import { TIERS } from '../../src/core/tiers.js'
import { balanceWork, listWork, weighWork } from '../../src/plan/balance.js'
import { splitShards } from '../../src/plan/shard-split.js'
import type { Shard } from '../../src/plan/types.js'
import { emptyTimings, type Timings } from '../../src/store/timings.js'

// A random plan: 1-4 containers, files in 1-3 tiers, some in two containers, about half of them timed.
function randomPlan(seed: number): { shards: Shard[]; timings: Timings } {
  const next: () => number = seededRandom(seed)
  const containers = ['amp', 'opt', 'gpu', 'node18'].slice(0, 1 + Math.floor(next() * 4))
  const files = Array.from({ length: Math.floor(next() * 120) }, (_, i) => `pkg${Math.floor(next() * 5)}/f${i}.test.ts`).sort()
  const shards: Shard[] = []
  const timings = emptyTimings()
  for (const tier of TIERS) {
    for (const container of containers) {
      const mine = files.filter(() => next() < 0.4)
      if (mine.length === 0) continue
      shards.push({ id: `${container}.${tier}`, container, tier, files: mine })
      for (const file of mine) {
        if (next() < 0.5) timings.entries[`${container}/${tier}/${file}`] = { ms: Math.floor(Math.exp(next() * 12)), runs: 1, seen: '' }
      }
    }
  }
  return { shards, timings }
}

const keysOf = (shards: readonly Shard[]): string[] => shards.flatMap((s) => s.files.map((f) => `${s.container}/${s.tier}/${f}`))

describe('--shard I/N split', () => {
  test('property: for random plans and N = 1..16 the parts are disjoint and their union is the plan', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const { shards, timings } = randomPlan(seed)
      const all = keysOf(shards).sort()
      const { weights } = weighWork(listWork(shards), timings)
      for (let count = 1; count <= 16; count++) {
        const seen = new Map<string, number>()
        for (let index = 1; index <= count; index++) {
          const part = splitShards(shards, weights, { index, count })
          expect(part.parts).toHaveLength(count)
          for (const shard of part.shards) expect(shard.id).toBe(`${shard.container}.${shard.tier}`)
          for (const key of keysOf(part.shards)) seen.set(key, (seen.get(key) ?? 0) + 1)
        }
        expect([...seen.keys()].sort(), `seed ${seed}, N ${count}`).toEqual(all)
        expect(
          [...seen.values()].every((n) => n === 1),
          `seed ${seed}, N ${count}: a file in two parts`,
        ).toBe(true)
      }
    }
  })

  test('deterministic: the order of the input does not matter, ties are broken by key', () => {
    const weights = { a: 5, b: 5, c: 5, d: 3, e: 3, f: 1 }
    const one = balanceWork(['a', 'b', 'c', 'd', 'e', 'f'], weights, 3)
    const two = balanceWork(['f', 'e', 'd', 'c', 'b', 'a'], weights, 3)
    expect(two).toEqual(one)
    expect(one).toEqual({
      parts: [
        ['a', 'd'],
        ['b', 'e'],
        ['c', 'f'],
      ],
      loads: [8, 8, 6],
    })
  })

  test('longest first: one heavy file gets a part of its own', () => {
    const weights = { big: 100, a: 10, b: 10, c: 10, d: 10, e: 10, f: 10 }
    const { parts, loads } = balanceWork(Object.keys(weights), weights, 2)
    expect(parts).toEqual([['big'], ['a', 'b', 'c', 'd', 'e', 'f']])
    expect(loads).toEqual([100, 60])
  })

  test('files without a timing count as the median of those with one; rounding keeps small jitter from moving files', () => {
    const shards: Shard[] = [{ id: 'amp.fast', container: 'amp', tier: 'fast', files: ['a', 'b', 'c', 'd'] }]
    const timings = emptyTimings()
    timings.entries['amp/fast/a'] = { ms: 1000, runs: 1, seen: '' }
    timings.entries['amp/fast/b'] = { ms: 3000, runs: 1, seen: '' }
    timings.entries['amp/fast/c'] = { ms: 20_040, runs: 1, seen: '' }
    const { weights, timed, medianMs } = weighWork(listWork(shards), timings)
    expect({ weights, timed, medianMs }).toEqual({
      weights: { 'amp/fast/a': 1000, 'amp/fast/b': 3000, 'amp/fast/c': 20_000, 'amp/fast/d': 3000 },
      timed: 3,
      medianMs: 3000,
    })
    const jittered = { ...timings, entries: { ...timings.entries, 'amp/fast/c': { ms: 19_960, runs: 2, seen: '' } } }
    expect(weighWork(listWork(shards), jittered).weights).toEqual(weights)
  })

  test('no timings at all: every file counts the same, so parts differ by at most one file', () => {
    const shards: Shard[] = [{ id: 'amp.fast', container: 'amp', tier: 'fast', files: Array.from({ length: 10 }, (_, i) => `f${i}`) }]
    const { weights } = weighWork(listWork(shards), emptyTimings())
    const sizes = [1, 2, 3].map((index) => splitShards(shards, weights, { index, count: 3 }).shards[0]!.files.length)
    expect(sizes).toEqual([4, 3, 3])
  })

  test('more parts than files: the extra parts are empty', () => {
    const shards: Shard[] = [{ id: 'opt.slow', container: 'opt', tier: 'slow', files: ['x'] }]
    const { weights } = weighWork(listWork(shards), emptyTimings())
    expect(splitShards(shards, weights, { index: 1, count: 3 }).shards).toEqual([
      { id: 'opt.slow', container: 'opt', tier: 'slow', files: ['x'] },
    ])
    expect(splitShards(shards, weights, { index: 3, count: 3 })).toEqual({
      shards: [],
      parts: [
        { index: 1, files: 1, expectedMs: 1000 },
        { index: 2, files: 0, expectedMs: 0 },
        { index: 3, files: 0, expectedMs: 0 },
      ],
    })
  })
})
