// Which tests of the history are flaky: their recent outcomes mix passes and failures, or they passed only on retry.
import { type History, historyKey, type Outcome } from '../store/history.js'

/** A test whose recent outcomes mix passes and failures (or that passed only on retry). */
export interface FlakyEntry {
  test: string
  /** (failed + flaky) / (passed + failed + flaky) over the window. */
  rate: number
  recent: string
}

/** Flaky tests of the history (of `only`, when given), highest rate first. */
export function findFlaky(history: History, only?: Iterable<string>): FlakyEntry[] {
  const keys = only === undefined ? Object.keys(history.tests) : [...new Set([...only].map((test) => historyKey(test)))]
  const flaky: FlakyEntry[] = []
  for (const key of keys) {
    const recent = history.tests[key]?.o
    if (recent === undefined) continue
    const count = (letter: Outcome) => recent.split(letter).length - 1
    const [passed, failed, retried] = [count('P'), count('F'), count('R')]
    if (retried === 0 && (passed === 0 || failed === 0)) continue
    flaky.push({ test: key, rate: (failed + retried) / (passed + failed + retried), recent })
  }
  return flaky.sort((a, b) => b.rate - a.rate || (a.test < b.test ? -1 : 1))
}
