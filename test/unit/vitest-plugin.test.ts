import { describe, expect, test } from 'vitest'
import { tierOfTags } from '../../src/core/tiers.js'
import { tierTagsToDeclare, xtest } from '../../src/vitest/plugin.js'
import { readShardEnv, readTierTimeouts } from '../../src/vitest/shard-env.js'
import { escapeGlob, exactPattern } from '../../src/vitest/shard-files.js'

describe('tier tags', () => {
  test('are declared with the default timeouts, leaving out names the config declares', () => {
    expect(tierTagsToDeclare(undefined, {})).toEqual([
      { name: 'slow', description: 'xtest tier slow (per-test timeout 30 s)', timeout: 30_000 },
      { name: 'superslow', description: 'xtest tier superslow (per-test timeout 3600 s)', timeout: 3_600_000 },
    ])
    expect(tierTagsToDeclare([{ name: 'slow', timeout: 1 }, { name: 'db' }], {}).map((tag) => tag.name)).toEqual(['superslow'])
  })

  test('take their timeouts from XTEST_TIER_TAGS, falling back per tag', () => {
    expect(readTierTimeouts({ XTEST_TIER_TAGS: '{"slow":{"timeout":5000}}' })).toEqual({ slow: 5000, superslow: 3_600_000 })
    expect(() => readTierTimeouts({ XTEST_TIER_TAGS: '{nope' })).toThrow('XTEST_TIER_TAGS is not JSON: {nope')
  })

  test('give a test its tier: superslow over slow over fast', () => {
    expect([tierOfTags([]), tierOfTags(['db', 'slow']), tierOfTags(['slow', 'superslow'])]).toEqual(['fast', 'slow', 'superslow'])
  })

  test("the plugin's config hook is idempotent: a second copy sees the first one's tags", () => {
    const config = xtest().config as (config: object) => { test: { tags: unknown[] } } | undefined
    const first = config({ test: { tags: [{ name: 'db' }] } })
    expect(first?.test.tags).toHaveLength(2)
    expect(config({ test: { tags: [{ name: 'db' }, ...first!.test.tags] } })).toBeUndefined()
  })
})

describe('readShardEnv', () => {
  test('reads the XTEST_* contract of docs/internals.md', () => {
    expect(
      readShardEnv({
        XTEST_RUN_ID: 'r1',
        XTEST_CONTAINER: 'opt',
        XTEST_TIER: 'superslow',
        XTEST_SHARD: 'opt.superslow.2',
        XTEST_IMAGE: 'opt:1',
        XTEST_IMAGE_ID: 'sha256:x',
        XTEST_SHARD_DIR: '/app/.xtest/runs/r1/opt.superslow.2',
        XTEST_FILES: '/f.json',
        XTEST_PROVIDES: 'opt-solver, @s/p',
      }),
    ).toEqual({
      runId: 'r1',
      container: 'opt',
      tier: 'superslow',
      shard: 'opt.superslow.2',
      image: 'opt:1',
      imageId: 'sha256:x',
      shardDir: '/app/.xtest/runs/r1/opt.superslow.2',
      filesPath: '/f.json',
      provides: ['opt-solver', '@s/p'],
    })
  })

  test('without xtest around it: no shard folder, tier fast', () => {
    expect(readShardEnv({})).toMatchObject({ shardDir: null, filesPath: null, tier: 'fast', container: '', provides: [] })
  })
})

describe('exact include patterns', () => {
  test('escape glob syntax so that a path matches only itself', () => {
    expect(escapeGlob('src/[id]/(group)/a*b?.test.ts')).toBe('src/\\[id\\]/\\(group\\)/a\\*b\\?.test.ts')
    expect(exactPattern('/app/pkg', '/app/pkg/src/{a,b}.test.ts')).toBe('src/\\{a,b\\}.test.ts')
    expect(exactPattern('/app/pkg', '/app/other/x!.test.ts')).toBe('../other/x\\!.test.ts')
  })
})
