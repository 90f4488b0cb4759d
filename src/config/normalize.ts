// From validated config data to what the code uses. No zod here: a config read from the parse cache comes this way.

import type { Tier } from '../core/tiers.js'
import { parseDuration } from '../shared/duration.js'
import { parseSize } from '../shared/size.js'
import type { ContainerConfig, ParsedConfig } from './schema.js'

export interface ResolvedTier {
  timeoutMs: number
  testTimeoutMs?: number
}

/** The config as the code uses it: validated, defaults filled, durations in ms, root absolute. */
interface ResolvedLimits {
  gitTimeoutMs: number
  buildTimeoutMs: number
  /** Most bytes a shard may write into its results folder. */
  shardOutputBytes: number
}

export interface ResolvedConfig extends Omit<ParsedConfig, 'tiers' | 'limits'> {
  /** Absolute directory of the config file: every relative path in it is relative to this. */
  root: string
  /** Absolute config path, or null for an inline config. */
  configPath: string | null
  tiers: Record<Tier, ResolvedTier>
  limits: ResolvedLimits
  containers: Record<string, ContainerConfig>
}

export function toResolvedConfig(config: ParsedConfig, root: string, configPath: string | null): ResolvedConfig {
  const tiers = Object.fromEntries(
    Object.entries(config.tiers).map(([name, tier]) => [
      name,
      {
        timeoutMs: parseDuration(tier.timeout)!,
        testTimeoutMs: tier.testTimeout === undefined ? undefined : parseDuration(tier.testTimeout)!,
      },
    ]),
  ) as Record<Tier, ResolvedTier>
  const limits = {
    gitTimeoutMs: parseDuration(config.limits.gitTimeout)!,
    buildTimeoutMs: parseDuration(config.limits.buildTimeout)!,
    // A config from the parse cache of an older xtest has no shardOutput: the default.
    shardOutputBytes: parseSize(config.limits.shardOutput ?? '1g'),
  }
  // The top-level vitestConfig is each container's unless it names its own.
  const containers = Object.fromEntries(
    Object.entries(config.containers).map(([name, container]) => [
      name,
      config.vitestConfig !== undefined && container.vitestConfig === undefined
        ? { ...container, vitestConfig: config.vitestConfig }
        : container,
    ]),
  )
  return { ...config, root, configPath, tiers, limits, containers }
}
