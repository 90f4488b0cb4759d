import path from 'node:path'
import type { z } from 'zod'
import { ConfigError } from '../shared/errors.js'
import { parseDuration } from '../shared/duration.js'
import { configSchema, type ContainerConfig, type ParsedConfig } from './schema.js'
import type { Tier } from '../plan/types.js'

export interface ResolvedTier {
  timeoutMs: number
  testTimeoutMs?: number
}

/** The config as the code uses it: validated, defaults filled, durations in ms, root absolute. */
export interface ResolvedConfig extends Omit<ParsedConfig, 'tiers'> {
  /** Absolute directory of the config file: every relative path in it is relative to this. */
  root: string
  /** Absolute config path, or null for an inline config. */
  configPath: string | null
  tiers: Record<Tier, ResolvedTier>
  containers: Record<string, ContainerConfig>
}

/** Validates raw config data; every problem becomes one line naming its path. */
export function resolveConfig(raw: unknown, root: string, configPath: string | null): ResolvedConfig {
  const parsed = configSchema.safeParse(raw, { reportInput: true })
  const label = configPath ? path.relative(process.cwd(), configPath) || configPath : 'config'
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${label}: ${formatIssue(issue)}`)
    throw new ConfigError(lines[0]!, 'XTEST_CONFIG_INVALID', {
      hint: lines.length > 1 ? lines.slice(1).join('\n') : undefined,
    })
  }
  const config = parsed.data
  const tiers = Object.fromEntries(
    Object.entries(config.tiers).map(([name, tier]) => [name, {
      timeoutMs: parseDuration(tier.timeout)!,
      testTimeoutMs: tier.testTimeout === undefined ? undefined : parseDuration(tier.testTimeout)!,
    }]),
  ) as Record<Tier, ResolvedTier>
  return { ...config, root, configPath, tiers }
}

/** `containers.opt.include[0]: expected string, received number` */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path)
  let message = issue.message
  if (issue.code === 'unrecognized_keys') message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
  if (issue.code === 'invalid_key') message = issue.issues[0]?.message ?? message
  if (issue.code === 'invalid_type') message = `expected ${issue.expected}, received ${describeInput(issue.input)}`
  return where ? `${where}: ${message}` : message
}

function describeInput(input: unknown): string {
  if (input === null) return 'null'
  if (Array.isArray(input)) return 'array'
  return typeof input
}

export function formatPath(segments: readonly PropertyKey[]): string {
  let out = ''
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(String(segment))) out += out ? `.${String(segment)}` : String(segment)
    else out += `[${JSON.stringify(String(segment))}]`
  }
  return out
}
