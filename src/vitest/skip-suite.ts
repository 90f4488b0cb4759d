// Skipping a whole suite with a reason from a beforeAll hook, so that the suite's own hooks never run with a module
// that is not there. Vitest has no public API for this (`context.skip` exists for tests only), hence the care.
import type { RunnerTask, RunnerTestCase, RunnerTestSuite } from 'vitest'

function collectTests(tasks: readonly RunnerTask[]): RunnerTestCase[] {
  return tasks.flatMap((task) => (task.type === 'test' ? [task] : task.type === 'suite' ? collectTests(task.tasks) : []))
}

/**
 * Marks every test of `suite` skipped with `reason` (Vitest then does not run them, and reports the reason as the
 * skip note), then ends the beforeAll with a test's own skip signal: Vitest treats that as "skip the suite", so
 * later beforeAll hooks do not run either. If anything here is not as expected, the beforeEach fallback of
 * importOrSkip still skips each test with the reason.
 */
export function skipTestsOf(suite: RunnerTestSuite | undefined, reason: string): void {
  const tests = suite?.tasks ? collectTests(suite.tasks) : []
  for (const test of tests) {
    test.mode = 'skip'
    // `note` is what `context.skip(note)` sets too; TaskResult's type does not list it.
    test.result = { ...test.result, state: 'skip', note: reason } as RunnerTestCase['result']
  }
  tests[0]?.context?.skip(reason)
}
