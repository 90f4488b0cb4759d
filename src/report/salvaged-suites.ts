// Results salvaged from a crashed shard's progress log (progress.ndjson, written by the shard's own process) were
// never confirmed by Vitest's JUnit: xtest marks their suites `xtest.salvaged` (a shard's own mark is dropped), counts
// their tests apart as unverified (never passed), re-runs them with --failed and never stores them in the cache.
import { addCounts, countSuite, emptyCounts } from '../core/junit-report.js'
import type { ReportCase, ReportSuite, Totals } from './types.js'

export const SALVAGED = 'xtest.salvaged'

export const isSalvaged = (suite: Pick<ReportSuite, 'properties'>): boolean =>
  suite.properties.some((property) => property.name === SALVAGED)

/** A test of a salvaged suite that did not fail: the shard's word alone, so neither passed nor skipped. */
export const isUnverified = (suite: Pick<ReportSuite, 'properties'>, testCase: Pick<ReportCase, 'result'>): boolean =>
  isSalvaged(suite) && (testCase.result === 'passed' || testCase.result === 'skipped')

/** One suite's counts, its unverified tests taken out of passed and skipped. */
export function countApart(suite: ReportSuite): Totals {
  const counts: Totals = countSuite(suite)
  if (!isSalvaged(suite)) return counts
  let unverified = 0
  for (const testCase of suite.cases) {
    if (!isUnverified(suite, testCase)) continue
    unverified++
    if (testCase.result === 'passed') counts.passed--
    else counts.skipped--
  }
  if (unverified > 0) counts.unverified = unverified
  return counts
}

/** Adds `more` into `into`, unverified tests included. */
export function addApart(into: Totals, more: Totals): Totals {
  addCounts(into, more)
  if (more.unverified) into.unverified = (into.unverified ?? 0) + more.unverified
  return into
}

/** A report's totals with the unverified tests apart. */
export const countReportApart = (suites: readonly ReportSuite[]): Totals =>
  suites.reduce((sum: Totals, suite) => addApart(sum, countApart(suite)), emptyCounts())
