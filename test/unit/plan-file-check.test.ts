import { describe, expect, test } from 'vitest'
import { checkPlan, isSafeId, isSafeRelativePath } from '../../src/plan/check-plan.js'
import { createPlanRecord, hashPlanRecord, parsePlanRecord } from '../../src/plan/plan-record.js'
import type { Plan } from '../../src/plan/types.js'

// A tampered --plan file must not turn its ids and paths into host paths.
const plan = (shard: Record<string, unknown> = {}): Plan => ({
  version: 1,
  root: '/r',
  configPath: '/r/xtest.config.ts',
  containers: ['amp'],
  tiers: ['fast', 'slow', 'superslow'],
  shards: [{ id: 'amp.fast', container: 'amp', tier: 'fast', files: ['a.test.ts'], ...shard } as Plan['shards'][number]],
  files: [],
  errors: [],
  warnings: [],
})
// What an attacker who edits a plan.json would do: recompute the (unkeyed) hash so that it matches.
const rehashed = (p: Plan, weights: Record<string, unknown> = { 'amp/fast/a.test.ts': 1 }) => {
  const record = { version: 1, createdAt: '', containers: {}, weights, plan: p } as never
  return JSON.stringify({ ...(record as object), hash: hashPlanRecord(record) })
}

describe('plan ids and paths', () => {
  test.each([
    [{ id: '../../../.git/hooks' }, `shards[0].id "../../../.git/hooks" is not the shard's id (expected 'amp.fast')`],
    [{ id: 'amp.slow' }, "shards[0].id \"amp.slow\" is not the shard's id (expected 'amp.fast')"],
    [{ container: '../x', id: '../x.fast' }, `shards[0].container "../x" is not a container name (a-z, 0-9, '-', '_')`],
    [{ tier: 'turbo' }, 'shards[0] is not a shard (container, tier, files)'],
    [{ slice: 0, id: 'amp.fast.0' }, 'shards[0].slice 0 is not a slice number'],
    [{ slice: 3, slices: 2, id: 'amp.fast.3' }, 'shards[0].slices 2 is not a slice count (≥ its slice)'],
    [{ slices: 2 }, 'shards[0].slices 2 is not a slice count (≥ its slice)'],
    [{ slice: 1, slices: 1.5, id: 'amp.fast.1' }, 'shards[0].slices 1.5 is not a slice count (≥ its slice)'],
    [{ files: ['/etc/passwd'] }, `shards[0].files[0] "/etc/passwd" is not a path inside the repository (relative, POSIX, no '..')`],
    [
      { files: ['ok.test.ts', 'a/../../x.test.ts'] },
      `shards[0].files[1] "a/../../x.test.ts" is not a path inside the repository (relative, POSIX, no '..')`,
    ],
    [{ files: ['a\u0000b'] }, `shards[0].files[0] "a\\u0000b" is not a path inside the repository (relative, POSIX, no '..')`],
    [{ files: [42] }, "shards[0].files[0] 42 is not a path inside the repository (relative, POSIX, no '..')"],
  ])('%j → %s', (shard, problem) => {
    expect(checkPlan(plan(shard))).toEqual({ ok: false, message: problem })
    expect(parsePlanRecord(rehashed(plan(shard)))).toEqual({ ok: false, message: problem })
  })

  test('a sliced shard and its id are fine; files lists and container lists are checked too', () => {
    expect(checkPlan(plan({ id: 'amp.fast.2', slice: 2 }))).toMatchObject({ ok: true })
    expect(checkPlan(plan({ id: 'amp.fast.2', slice: 2, slices: 2 }))).toMatchObject({ ok: true })
    expect(checkPlan({ ...plan(), files: [{ path: '../x' }] } as unknown as Plan)).toMatchObject({
      message: expect.stringMatching(/^files\[0\]\.path "\.\.\/x" is not a path inside/),
    })
    expect(checkPlan({ ...plan(), containers: ['amp', '../x'] } as Plan)).toEqual({
      ok: false,
      message: 'containers is not a list of container names',
    })
  })

  test('the patterns', () => {
    for (const id of ['amp.fast', 'a-b_c.slow.3']) expect(isSafeId(id), id).toBe(true)
    for (const id of ['..', '.hidden', 'a/b', 'A', 'a..b', '', 'a b']) expect(isSafeId(id), id).toBe(false)
    for (const file of ['a.test.ts', 'src/x/y.spec.ts', 'a..b.test.ts']) expect(isSafeRelativePath(file), file).toBe(true)
    for (const file of ['/a', '../a', 'a/./b', 'a//b', '', 'C:/x', 'a/..']) expect(isSafeRelativePath(file), file).toBe(false)
  })
})

describe('plan records', () => {
  test('the hash is required; weights are finite durations', () => {
    const record = createPlanRecord({ plan: plan(), weights: { 'amp/fast/a.test.ts': 10 }, containers: {}, now: new Date(0) })
    const { hash: _, ...noHash } = JSON.parse(JSON.stringify(record))
    expect(parsePlanRecord(JSON.stringify(noHash))).toEqual({ ok: false, message: "has no hash (a run folder's plan.json always has one)" })
    expect(parsePlanRecord(rehashed(plan(), { 'amp/fast/a.test.ts': -1 }))).toEqual({
      ok: false,
      message: 'weights["amp/fast/a.test.ts"] -1 is not a duration in ms',
    })
    expect(parsePlanRecord(JSON.stringify(record))).toMatchObject({ ok: true })
  })
})
