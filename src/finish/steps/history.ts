// Finish step: each test's outcome appended to the flaky history; the tests flaky over their recent runs go into the
// summary. Never fails the run: a problem costs a warning.

import { testOutcomes } from '../../report/index.js'
import { addOutcome, appendHistory, historyPathOf, type Outcome } from '../../store/history.js'
import type { Finishing } from '../compose.js'
import { findFlaky } from '../flaky-tests.js'

export async function recordHistory({ request, report, summary, hooks }: Finishing): Promise<void> {
  if (request.historyOf === undefined) return
  try {
    const run = new Map<string, Outcome>()
    for (const [test, outcome] of testOutcomes(report)) addOutcome(run, test, outcome)
    if (run.size === 0) return
    const flaky = findFlaky(await appendHistory(historyPathOf(request.historyOf), run, { warn: hooks.warn }), run.keys())
    if (flaky.length > 0) summary.flaky = flaky
  } catch (error) {
    hooks.warn(`test history not recorded: ${error instanceof Error ? error.message : String(error)}`)
  }
}
