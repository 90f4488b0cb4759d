import type { Counts, ReportCase, ReportSuite } from './types.js'

export const emptyCounts = (): Counts => ({ tests: 0, passed: 0, failed: 0, errors: 0, skipped: 0, time: 0 })

/** Counts of a list of cases. Suite and root totals are always these sums, never copied from input. */
export function countCases(cases: readonly ReportCase[]): Counts {
  const counts = emptyCounts()
  counts.tests = cases.length
  for (const testCase of cases) {
    counts.time += testCase.time
    if (testCase.result === 'passed') counts.passed++
    else if (testCase.result === 'failed') counts.failed++
    else if (testCase.result === 'error') counts.errors++
    else counts.skipped++
  }
  return counts
}

/** Adds `more` into `into` and returns it. */
export function addCounts(into: Counts, more: Counts): Counts {
  into.tests += more.tests
  into.passed += more.passed
  into.failed += more.failed
  into.errors += more.errors
  into.skipped += more.skipped
  into.time += more.time
  return into
}

/** Counts of a suite; its time is the suite's own (file duration), not the sum of its cases. */
export function countSuite(suite: Pick<ReportSuite, 'cases' | 'time'>): Counts {
  const counts = countCases(suite.cases)
  counts.time = suite.time
  return counts
}

/** Counts over suites. */
export const countSuites = (suites: readonly ReportSuite[]): Counts =>
  suites.reduce((sum, suite) => addCounts(sum, countSuite(suite)), emptyCounts())
