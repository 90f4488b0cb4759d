import { expect, test } from 'vitest'
import type { Tier } from '../../src/core/tiers.js'
import { describeDrift, findDrift } from '../../src/plan/drift.js'
import type { Shard } from '../../src/plan/types.js'
import { emptyTimings } from '../../src/store/timings.js'

test('drift: over the tier budget moves up, well under the lower budget moves down, untimed files say nothing', () => {
  const timings = emptyTimings()
  const set = (tier: Tier, file: string, ms: number) => {
    timings.entries[`amp/${tier}/${file}`] = { ms, runs: 1, seen: '' }
  }
  set('fast', 'slow-now.test.ts', 7_000)
  set('fast', 'fine.test.ts', 4_000)
  set('slow', 'quick.test.ts', 800)
  set('slow', 'fine.test.ts', 30_000)
  set('slow', 'huge.test.ts', 200_000)
  set('superslow', 'medium.test.ts', 20_000)
  set('superslow', 'endless.test.ts', 2_000_000)
  const shards: Shard[] = (['fast', 'slow', 'superslow'] as const).map((tier) => ({
    id: `amp.${tier}`,
    container: 'amp',
    tier,
    files: Object.keys(timings.entries)
      .filter((k) => k.startsWith(`amp/${tier}/`))
      .map((k) => k.split('/')[2]!)
      .concat('untimed.test.ts'),
  }))
  const drift = findDrift(shards, timings)
  expect(drift.map((d) => [d.tier, d.file, d.kind, d.to])).toEqual([
    ['superslow', 'endless.test.ts', 'over-budget', undefined],
    ['slow', 'huge.test.ts', 'over-budget', 'superslow'],
    ['superslow', 'medium.test.ts', 'under-budget', 'slow'],
    ['fast', 'slow-now.test.ts', 'over-budget', 'slow'],
    ['slow', 'quick.test.ts', 'under-budget', 'fast'],
  ])
  expect(describeDrift(drift)).toBe(
    "tier drift: 3 files slower than their tier's budget, 2 slow/superslow files fast enough to move down a tier (see xtest plan --drift)",
  )
  expect(describeDrift([])).toBeUndefined()
})
