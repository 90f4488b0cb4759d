import { UsageError } from '../core/errors.js'
import { TIERS, type Tier } from '../core/tiers.js'

/** `--tier fast|slow|superslow|all` → tiers; `all` = every tier. */
export function parseTierOption(value: unknown, fallback: Tier[]): Tier[] {
  if (value === undefined) return fallback
  const values = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','))
  if (values.includes('all')) return [...TIERS]
  for (const v of values) {
    if (!(TIERS as readonly string[]).includes(v)) {
      throw new UsageError(`unknown tier '${v}' (known: ${TIERS.join(', ')}, all)`)
    }
  }
  return TIERS.filter((t) => values.includes(t))
}

/** `--container NAME` (repeatable, or comma-separated) checked against the config's names when given. */
export function parseContainerOption(value: unknown, known?: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined
  const values = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter(Boolean)
  for (const v of values) {
    if (known && !known.includes(v)) throw new UsageError(`unknown container '${v}' (known: ${known.join(', ')})`)
  }
  return values
}

export function parsePositiveInt(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} expects a whole number ≥ 1, got '${String(value)}'`)
  return n
}

export function parseChoice<T extends string>(name: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if (!(choices as readonly string[]).includes(String(value))) {
    throw new UsageError(`--${name} expects one of ${choices.join(', ')}, got '${String(value)}'`)
  }
  return value as T
}
