// The tiers, the one place they are named: the planner, the runtimes and the shard's plugin all read them here.

/** The three tiers, fastest first. A test's tier comes from its Vitest tags; untagged = fast. */
export const TIERS = ['fast', 'slow', 'superslow'] as const
export type Tier = (typeof TIERS)[number]

/** The tier of one test from its tags: superslow beats slow beats untagged (fast). */
export function tierOfTags(tags: readonly string[]): Tier {
  if (tags.includes('superslow')) return 'superslow'
  if (tags.includes('slow')) return 'slow'
  return 'fast'
}

/** The tiers a Vitest tag names; untagged is fast. */
export const TIER_TAGS = ['slow', 'superslow'] as const satisfies readonly Tier[]
export type TierTag = (typeof TIER_TAGS)[number]

/** The config's defaults: each tier's shard budget and, on the tagged tiers, the per-test timeout of its tag. */
export const DEFAULT_TIERS = {
  fast: { timeout: '10m' },
  slow: { timeout: '1h', testTimeout: '30s' },
  superslow: { timeout: '4h', testTimeout: '1h' },
} as const

export const isTier = (value: unknown): value is Tier => (TIERS as readonly unknown[]).includes(value)
