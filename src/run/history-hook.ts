// After a run or a merge: append each test's outcome to the flaky history and say which tests of this report are
// flaky over their recent runs. Never fails the run: a problem costs a warning.
import { testOutcomes, type FlakyTest, type JUnitReport } from '../report/index.js'
import { addOutcome, appendHistory, historyPathOf, type Outcome } from '../store/history.js'
import { findFlaky } from './flaky-tests.js'

export async function recordHistory(report: JUnitReport, timingsFile: string, warn: (line: string) => void): Promise<FlakyTest[]> {
  try {
    const run = new Map<string, Outcome>()
    for (const [test, outcome] of testOutcomes(report)) addOutcome(run, test, outcome)
    if (run.size === 0) return []
    const history = await appendHistory(historyPathOf(timingsFile), run, { warn })
    return findFlaky(history, run.keys())
  } catch (error) {
    warn(`test history not recorded: ${error instanceof Error ? error.message : String(error)}`)
    return []
  }
}
