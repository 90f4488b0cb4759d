// Raw config data to ResolvedConfig: zod issues become one line each, defaults filled, paths made absolute.
import type { z } from 'zod'
import { ConfigError } from '../core/errors.js'
import { checkConfigSafety } from './check-safety.js'
import { configLabel, formatPath } from './format-path.js'
import { type ResolvedConfig, toResolvedConfig } from './normalize.js'
import { configSchema, type ParsedConfig } from './schema.js'

export type { ResolvedConfig } from './normalize.js'

/** Validates raw config data; every problem becomes one line naming its path. */
export function resolveConfig(raw: unknown, root: string, configPath: string | null): ResolvedConfig {
  return checkConfigSafety(toResolvedConfig(parseConfig(raw, configPath), root, configPath))
}

/** Validates raw config data and fills the defaults; throws a ConfigError whose first line names the first problem. */
export function parseConfig(raw: unknown, configPath: string | null): ParsedConfig {
  const parsed = configSchema.safeParse(raw, { reportInput: true })
  if (parsed.success) return parsed.data
  const label = configLabel(configPath)
  const lines = parsed.error.issues.map((issue) => `${label}: ${formatIssue(issue)}`)
  throw new ConfigError(lines[0]!, 'XTEST_CONFIG_INVALID', {
    hint: lines.length > 1 ? lines.slice(1).join('\n') : undefined,
  })
}

/** `containers.opt.include[0]: expected string, received number` */
function formatIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path)
  let message = issue.message
  if (issue.code === 'unrecognized_keys')
    message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
  if (issue.code === 'invalid_key') message = issue.issues[0]?.message ?? message
  if (issue.code === 'invalid_type') message = `expected ${issue.expected}, received ${describeInput(issue.input)}`
  return where ? `${where}: ${message}` : message
}

function describeInput(input: unknown): string {
  if (input === null) return 'null'
  if (Array.isArray(input)) return 'array'
  return typeof input
}
