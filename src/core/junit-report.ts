// A JUnit document as plain data, and its totals: the one shape both the shard's reporter and the host's merge write.
// Lives in core/ because the shard side (src/vitest/) may import only core/ and shared/.

/** The final state of one testcase. `error` = an `<error>` child (xtest's synthetic cases use it). */
export type CaseResult = 'passed' | 'failed' | 'error' | 'skipped'

/** The first `<failure>` or `<error>` of a testcase; later ones are appended to `body`. */
export interface Fault {
  message: string
  type: string
  body: string
}

export interface ReportProperty {
  name: string
  value: string
}

/** One testcase as plain data. Text read from a file is already sanitized; the writer caps it again on the way out. */
export interface ReportCase {
  classname: string
  name: string
  /** Seconds. */
  time: number
  result: CaseResult
  fault?: Fault
  skipMessage?: string
  /** Failed attempts of a test that passed on retry (written by the shard as `<flakyFailure>`; not kept on read). */
  flakyFailures?: Fault[]
  systemOut?: string
  systemErr?: string
  /** Testcase `<properties>` (Vitest annotations). The JUnit schema has no place for them: written into system-out. */
  properties: ReportProperty[]
  /**
   * Passed after failed attempts (a `flaky` property, `retryCount > 0`, or `<flakyFailure>`); on a failing case:
   * another copy of it passed in the same run (merge keeps the failure, see report/keep-worst.ts).
   */
  flaky?: boolean
  /** Set by the quarantine (never read from a file): the reason this failing test does not fail the run. */
  quarantined?: string
}

export interface ReportSuite {
  name: string
  /** Seconds: the suite's own time if it had one, else the sum of its cases. */
  time: number
  timestamp?: string
  hostname?: string
  /** `testsuite@file`: for xtest's merged suites, the test file relative to the config root. */
  file?: string
  properties: ReportProperty[]
  cases: ReportCase[]
  systemOut?: string
  systemErr?: string
}

/** A JUnit document as plain data: flat suites (nested `<testsuite>`s are flattened on read). */
export interface JUnitReport {
  name?: string
  suites: ReportSuite[]
}

export interface Counts {
  tests: number
  passed: number
  failed: number
  errors: number
  skipped: number
  /** Seconds. */
  time: number
}

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
