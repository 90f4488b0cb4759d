// Each test's outcome in a merged report, for the flaky history: P passed, F failed or error, R passed on retry,
// S skipped. xtest's own stand-in cases (`[xtest] …`: a crashed shard, a missing part) are no test and left out, as
// are unverified ones (a crashed shard's own word, see salvaged-suites.ts).
import { isCached } from './cached-suites.js'
import { isUnverified } from './salvaged-suites.js'
import type { JUnitReport } from './types.js'

export type TestOutcome = 'P' | 'F' | 'R' | 'S'

/** `<suite> > <name>` with its outcome, one entry per testcase. */
export function testOutcomes(report: JUnitReport): Array<[test: string, outcome: TestOutcome]> {
  const out: Array<[string, TestOutcome]> = []
  for (const suite of report.suites) {
    if (isCached(suite)) continue // it ran in another run, whose outcome the history has
    for (const testCase of suite.cases) {
      if (testCase.name.startsWith('[xtest] ') || isUnverified(suite, testCase)) continue
      const outcome: TestOutcome =
        testCase.result === 'failed' || testCase.result === 'error' ? 'F' : testCase.result === 'skipped' ? 'S' : testCase.flaky ? 'R' : 'P'
      out.push([`${suite.name} > ${testCase.name}`, outcome])
    }
  }
  return out
}
