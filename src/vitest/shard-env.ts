// The XTEST_* environment a shard runs with (docs/internals.md), read in one place.
import fs from 'node:fs'
import { isTier, type Tier } from '../core/tiers.js'

/** What the plugin and reporter know about the shard they run in; `shardDir` is null under plain `vitest`. */
export interface ShardEnv {
  runId: string
  container: string
  tier: Tier
  shard: string
  image: string
  imageId: string
  shardDir: string | null
  /** Path of files.json, or null. */
  filesPath: string | null
  provides: string[]
}

export type TierTimeouts = Record<'slow' | 'superslow', number>

/** Per-test timeouts of the tier tags when XTEST_TIER_TAGS does not say otherwise. */
const DEFAULT_TIER_TIMEOUTS: TierTimeouts = { slow: 30_000, superslow: 3_600_000 }

export function readShardEnv(env: NodeJS.ProcessEnv = process.env): ShardEnv {
  const tier = env.XTEST_TIER
  return {
    runId: env.XTEST_RUN_ID ?? '',
    container: env.XTEST_CONTAINER ?? '',
    tier: isTier(tier) ? tier : 'fast',
    shard: env.XTEST_SHARD ?? '',
    image: env.XTEST_IMAGE ?? '',
    imageId: env.XTEST_IMAGE_ID ?? '',
    shardDir: env.XTEST_SHARD_DIR || null,
    filesPath: env.XTEST_FILES || null,
    provides: (env.XTEST_PROVIDES ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  }
}

/** The tier tags' timeouts: XTEST_TIER_TAGS (JSON `{ slow: { timeout } }`) over the defaults. */
export function readTierTimeouts(env: NodeJS.ProcessEnv = process.env): TierTimeouts {
  const raw = env.XTEST_TIER_TAGS
  if (!raw) return { ...DEFAULT_TIER_TIMEOUTS }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch (error) {
    throw new Error(`XTEST_TIER_TAGS is not JSON: ${raw}`, { cause: error })
  }
  const timeoutOf = (tag: 'slow' | 'superslow'): number => {
    const timeout = (parsed as Record<string, { timeout?: unknown } | undefined> | null)?.[tag]?.timeout
    return typeof timeout === 'number' && timeout > 0 ? timeout : DEFAULT_TIER_TIMEOUTS[tag]
  }
  return { slow: timeoutOf('slow'), superslow: timeoutOf('superslow') }
}

/** The shard's test files (relative to the Vitest root) from files.json. */
export function readShardFiles(filesPath: string): string[] {
  const files: unknown = JSON.parse(fs.readFileSync(filesPath, 'utf8'))
  if (!Array.isArray(files) || !files.every((file) => typeof file === 'string')) {
    throw new Error(`${filesPath}: expected a JSON array of file paths`)
  }
  return files
}
