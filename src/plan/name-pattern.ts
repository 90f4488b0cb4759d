// Vitest's `--testNamePattern` for a re-run of failed tests, built from exact names taken from a report. The names
// are untrusted text: each is regex-escaped (matched literally), and the count and lengths are capped; past a cap
// there is no pattern and the whole files run again, which is slower but never misses a failure.

// Vitest 4 matches the pattern against the suite names and the test's joined by spaces, Vitest 5 joined by ' > ':
// between two names either separator matches (a name's own spaces or ' > ' stay literal).
const fullNamePattern = (name: string): string => name.split(' > ').map(escapeRegExp).join('(?: > | )')

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const NAME_PATTERN_LIMITS = { maxNames: 200, maxNameLength: 1000, maxPatternLength: 32 * 1024 }

/**
 * `^(?:a|b)(?: |$)`: each failing name, and anything inside a describe of that name (a failing hook is reported
 * under its describe's name, and its tests must run again too). Undefined when a limit is passed.
 */
export function testNamePattern(names: readonly string[], limits = NAME_PATTERN_LIMITS): string | undefined {
  const unique = [...new Set(names)]
  if (unique.length === 0 || unique.length > limits.maxNames) return undefined
  if (unique.some((name) => name.length === 0 || name.length > limits.maxNameLength)) return undefined
  const pattern = `^(?:${unique.map(fullNamePattern).join('|')})(?: |$)`
  return pattern.length > limits.maxPatternLength ? undefined : pattern
}
