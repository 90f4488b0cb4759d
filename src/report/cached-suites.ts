// Suites a run took from the result cache (src/run/cache/) instead of running them: merged as stored, marked with
// the `xtest.cached` property (the run that produced them; JUnit allows properties on suites, not on testcases),
// left out of the shard timeline and statuses (they did not run in this run), and counted apart in the summaries.
import type { ReportProperty, ReportSuite } from './types.js'

export const CACHED = 'xtest.cached'

/** A (container, tier, file) result the run reuses. */
export interface CachedSuite {
  /** The shard of this run the file was planned in (the suite goes where that shard's suites go). */
  shardId: string
  /** The merged suite as a run stored it (`<container>/<tier>/<file>`), without the run's own properties. */
  suite: ReportSuite
  /** The run that produced it. */
  runId: string
}

export const isCached = (suite: ReportSuite): boolean => suite.properties.some((property) => property.name === CACHED)

/** Marks the suites named in `cached` (after the run's properties were set, which drop any a shard wrote). */
export function markCached(suites: readonly ReportSuite[], cached: readonly CachedSuite[]): ReportSuite[] {
  const runOf = new Map(cached.map((each) => [each.suite.name, each.runId]))
  return suites.map((suite) => {
    const runId = runOf.get(suite.name)
    if (runId === undefined) return suite
    const mark: ReportProperty = { name: CACHED, value: runId }
    return { ...suite, properties: [...suite.properties.filter((property) => property.name !== CACHED), mark] }
  })
}

/** How many tests and files of a report came from the cache. */
export function countCached(suites: readonly ReportSuite[]): { tests: number; files: number } {
  let tests = 0
  let files = 0
  for (const suite of suites) {
    if (!isCached(suite)) continue
    files++
    tests += suite.cases.length
  }
  return { tests, files }
}

/**
 * The run's shard sources with the cached suites added, each group right after the shard of this run it was planned
 * in (or where that shard would be, by id), so a run that reuses everything lists its suites as the run it reuses did.
 */
export function addCachedSources<T extends { label: string; suites: readonly ReportSuite[]; run?: string }>(
  sources: readonly T[],
  cached: readonly CachedSuite[],
): Array<T | { label: string; suites: ReportSuite[] }> {
  if (cached.length === 0) return [...sources]
  const groups = new Map<string, ReportSuite[]>()
  for (const each of cached) groups.set(each.shardId, [...(groups.get(each.shardId) ?? []), each.suite])
  const entries = [
    ...sources.map((source) => ({ id: source.label, cached: 0, source })),
    ...[...groups].map(([id, suites]) => ({ id, cached: 1, source: { label: `${id} (cache)`, suites } })),
  ]
  entries.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }) || a.cached - b.cached)
  return entries.map((entry) => entry.source)
}
