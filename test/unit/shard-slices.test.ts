import { describe, expect, test } from 'vitest'
import { listWork, weighWork } from '../../src/plan/balance.js'
import { resolveSliceCount, sliceShards } from '../../src/plan/slice-shards.js'
import type { Shard } from '../../src/plan/types.js'
import { emptyTimings } from '../../src/store/timings.js'

const shard = (container: string, files: string[]): Shard => ({ id: `${container}.fast`, container, tier: 'fast', files })

describe('slices', () => {
  test.each([
    [2, 8, undefined, 4, 2],
    [5, 3, undefined, 4, 3],
    ['auto', 8, undefined, 4, 4],
    ['auto', 3, undefined, 16, 3],
    ['auto', 8, 12_000, 16, 3],
    ['auto', 8, 1_000, 16, 1],
    ['auto', 0, undefined, 4, 1],
  ] as const)('%s slices of %i files (expected %s ms, %i cores) → %i', (setting, files, expectedMs, cores, count) => {
    expect(resolveSliceCount(setting, files, expectedMs, cores)).toBe(count)
  })

  test('splits only the containers that ask, balanced, ids <container>.<tier>.<slice> (1-based)', () => {
    const shards = [shard('amp', ['a', 'b', 'c', 'd']), shard('opt', ['x', 'y'])]
    const timings = emptyTimings()
    for (const [file, ms] of [
      ['a', 9000],
      ['b', 3000],
      ['c', 3000],
      ['d', 3000],
    ] as const)
      timings.entries[`amp/fast/${file}`] = { ms, runs: 1, seen: '' }
    const { weights } = weighWork(listWork(shards), timings)
    const sliced = sliceShards({
      shards,
      weights,
      timed: new Set(Object.keys(timings.entries)),
      cores: 8,
      sliceOf: (c) => (c === 'amp' ? 2 : undefined),
    })
    expect(sliced).toEqual([
      { id: 'amp.fast.1', container: 'amp', tier: 'fast', slice: 1, slices: 2, files: ['a'] },
      { id: 'amp.fast.2', container: 'amp', tier: 'fast', slice: 2, slices: 2, files: ['b', 'c', 'd'] },
      shard('opt', ['x', 'y']),
    ])
  })

  test('a shard left with one slice keeps its plain id; every file stays in exactly one slice', () => {
    const files = Array.from({ length: 23 }, (_, i) => `f${String(i).padStart(2, '0')}.test.ts`)
    const { weights } = weighWork(listWork([shard('amp', files)]), emptyTimings())
    for (let count = 1; count <= 30; count++) {
      const sliced = sliceShards({ shards: [shard('amp', files)], weights, timed: new Set(), cores: 64, sliceOf: () => count })
      expect(sliced.flatMap((s) => s.files).sort()).toEqual(files)
      expect(sliced).toHaveLength(Math.min(count, files.length))
      if (count === 1) expect(sliced[0]!.id).toBe('amp.fast')
    }
  })
  test('slices read back from a plan file (xtest plan --json) are not cut again: every id stays unique', () => {
    const slices: Shard[] = [
      { id: 'amp.fast.1', container: 'amp', tier: 'fast', slice: 1, slices: 2, files: ['a', 'c'] },
      { id: 'amp.fast.2', container: 'amp', tier: 'fast', slice: 2, slices: 2, files: ['b', 'd'] },
    ]
    const { weights } = weighWork(listWork(slices), emptyTimings())
    expect(sliceShards({ shards: slices, weights, timed: new Set(), cores: 8, sliceOf: () => 2 })).toEqual(slices)
  })
})
