// The shard id names a shard's folder and its line in plans and logs; the planner and the plan-file check must build
// the same one.
import { describe, expect, test } from 'vitest'
import { shardId } from '../../src/core/shard.js'
import { checkPlan } from '../../src/plan/check-plan.js'
import { groupIntoShards } from '../../src/plan/shard-split.js'
import type { Plan } from '../../src/plan/types.js'

describe('shardId', () => {
  test('is <container>.<tier>, with .<slice> for a slice', () => {
    expect(shardId('amp', 'fast')).toBe('amp.fast')
    expect(shardId('amp', 'superslow', 3)).toBe('amp.superslow.3')
  })

  test('the ids the planner builds are the ones a plan file must carry', () => {
    const item = { key: 'amp/slow/a.test.ts', container: 'amp', tier: 'slow' as const, file: 'a.test.ts' }
    const [shard] = groupIntoShards([item])
    expect(shard?.id).toBe('amp.slow')
    const plan = (shards: Plan['shards']) => ({ version: 1, shards }) as Plan
    expect(checkPlan(plan([shard!])).ok).toBe(true)
    expect(checkPlan(plan([{ ...shard!, slice: 2, slices: 2, id: shardId('amp', 'slow', 2) }])).ok).toBe(true)
    expect(checkPlan(plan([{ ...shard!, slice: 2, slices: 2 }]))).toMatchObject({
      ok: false,
      message: expect.stringContaining("expected 'amp.slow.2'"),
    })
  })
})
