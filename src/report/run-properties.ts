// Suite properties that xtest itself vouches for (which plan and part a report belongs to, which run a re-run
// completes, which tests are quarantined). A shard's own JUnit may carry the same names: those are dropped, and the
// run sets its own values on every suite, so test code can never pose as another part or quarantine itself.
import { CACHED } from './cached-suites.js'
import type { ReportProperty, ReportSuite } from './types.js'

export const PLAN_HASH = 'plan_hash'
export const PART = 'part'
export const COMPLETES = 'completes'
export const QUARANTINED = 'xtest.quarantined'

const RESERVED: ReadonlySet<string> = new Set([PLAN_HASH, PART, COMPLETES, QUARANTINED, CACHED])

/** Every suite without shard-written reserved properties, then with `properties` added. */
export function setRunProperties(suites: readonly ReportSuite[], properties: readonly ReportProperty[] = []): ReportSuite[] {
  return suites.map((suite) => ({
    ...suite,
    properties: [...suite.properties.filter((property) => !RESERVED.has(property.name)), ...properties],
  }))
}

export const propertyOf = (suite: ReportSuite, name: string): string | undefined =>
  suite.properties.find((each) => each.name === name)?.value

/** `I/N` with 1 ≤ I ≤ N ≤ 10,000, or undefined. */
export function parsePart(value: string | undefined): { index: number; count: number } | undefined {
  const match = /^(\d{1,5})\/(\d{1,5})$/.exec(value ?? '')
  if (!match) return undefined
  const index = Number(match[1])
  const count = Number(match[2])
  return index >= 1 && index <= count && count <= 10_000 ? { index, count } : undefined
}
