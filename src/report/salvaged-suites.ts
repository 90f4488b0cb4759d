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

/**
 * xtest's own case, not a test: a shard's or a file's stand-in (`xtest.<kind>` error), a salvaged marker. Named
 * `[xtest] …` with an `xtest.` fault, or a `[xtest] …` skip in a salvaged suite (only xtest marks a suite so).
 */
export const isXtestCase = (suite: Pick<ReportSuite, 'properties'>, testCase: Pick<ReportCase, 'name' | 'result' | 'fault'>): boolean =>
  testCase.name.startsWith('[xtest] ') &&
  ((testCase.fault?.type.startsWith('xtest.') ?? false) || (testCase.result === 'skipped' && isSalvaged(suite)))

const BUCKET = { passed: 'passed', failed: 'failed', error: 'errors', skipped: 'skipped' } as const

/**
 * One suite's counts with xtest's own cases apart (`shardErrors`, not tests) and its unverified tests taken out of
 * passed and skipped. The JUnit file keeps every case as it is; only what a summary prints is counted so.
 */
export function countApart(suite: ReportSuite): Totals {
  const counts: Totals = countSuite(suite)
  let unverified = 0
  let shardErrors = 0
  for (const testCase of suite.cases) {
    if (isXtestCase(suite, testCase)) {
      shardErrors++
      counts.tests--
      counts[BUCKET[testCase.result]]--
    } else if (isUnverified(suite, testCase)) {
      unverified++
      counts[BUCKET[testCase.result]]--
    }
  }
  if (unverified > 0) counts.unverified = unverified
  if (shardErrors > 0) counts.shardErrors = shardErrors
  return counts
}

/** Adds `more` into `into`, unverified tests and shard errors included. */
export function addApart(into: Totals, more: Totals): Totals {
  addCounts(into, more)
  if (more.unverified) into.unverified = (into.unverified ?? 0) + more.unverified
  if (more.shardErrors) into.shardErrors = (into.shardErrors ?? 0) + more.shardErrors
  return into
}

/** A report's totals with the unverified tests and xtest's own cases apart. */
export const countReportApart = (suites: readonly ReportSuite[]): Totals =>
  suites.reduce((sum: Totals, suite) => addApart(sum, countApart(suite)), emptyCounts())
