// Quarantine: tests the repository's config says are known to fail (`{ test: 'file > name', reason, issue?, until }`).
// They still run and are reported, marked on their file's suite (`xtest.quarantined`) and in their failure message,
// but their failure does not fail the run until `until` has passed. The list comes from the config, never from a report.
import { QUARANTINED } from './run-properties.js'
import type { ReportSuite } from './types.js'

export interface QuarantineEntry {
  /** `<file relative to the config root> > <test's full name>`, e.g. `src/a.test.ts > parser > reads dates`. */
  test: string
  reason: string
  issue?: string
  /** `YYYY-MM-DD`: the last day the entry protects. */
  until: string
}

export interface QuarantineOutcome {
  suites: ReportSuite[]
  /** Entries whose test was in the report (by index in the list). */
  matched: Set<number>
  /** Entries past `until` whose test failed: it fails the run again. */
  expiredFailures: QuarantineEntry[]
  /** Entries whose name more than one test of a file has: they protect none of them (which one was meant?). */
  ambiguous: QuarantineEntry[]
}

/** Today as `YYYY-MM-DD` (UTC), the form `until` is compared with. */
export const todayOf = (now: Date): string => now.toISOString().slice(0, 10)

export const isExpired = (entry: QuarantineEntry, today: string): boolean => entry.until < today

/** `file > name` → [file, name]; the file is everything before the first ` > `. */
export function splitQuarantineTest(test: string): [string, string] | undefined {
  const at = test.indexOf(' > ')
  return at <= 0 || at + 3 >= test.length ? undefined : [test.slice(0, at), test.slice(at + 3)]
}

const describe = (entry: QuarantineEntry): string =>
  `quarantined: ${entry.reason}${entry.issue ? ` (${entry.issue})` : ''}, until ${entry.until}`

/** Marks the quarantined tests of a merged report. Suites without `file` (synthetic, unplanned) are never matched. */
export function applyQuarantine(suites: readonly ReportSuite[], entries: readonly QuarantineEntry[], today: string): QuarantineOutcome {
  const byTest = new Map<string, number>()
  entries.forEach((entry, index) => {
    if (!byTest.has(entry.test)) byTest.set(entry.test, index)
  })
  const matched = new Set<number>()
  const expiredFailures: QuarantineEntry[] = []
  const ambiguous = new Set<number>()
  if (byTest.size === 0) return { suites: [...suites], matched, expiredFailures, ambiguous: [] }
  const out = suites.map((suite) => {
    if (suite.file === undefined) return suite
    let changed: ReportSuite | undefined
    // An entry names one test: two tests of one file with the same full name (`test('a')` twice, or `describe('a')
    // > test('b')` and `test('a > b')`) cannot tell it which, so it protects neither.
    const seen = new Map<string, number>()
    for (const testCase of suite.cases) seen.set(testCase.name, (seen.get(testCase.name) ?? 0) + 1)
    suite.cases.forEach((testCase, caseIndex) => {
      const index = byTest.get(`${suite.file} > ${testCase.name}`)
      if (index === undefined) return
      matched.add(index)
      if (seen.get(testCase.name)! > 1) {
        ambiguous.add(index)
        return
      }
      const entry = entries[index]!
      const failing = testCase.result === 'failed' || testCase.result === 'error'
      if (isExpired(entry, today)) {
        if (failing) expiredFailures.push(entry)
        return
      }
      changed ??= { ...suite, cases: [...suite.cases], properties: [...suite.properties] }
      changed.properties.push({ name: QUARANTINED, value: `${testCase.name}: ${entry.reason}` })
      if (!failing) return
      const fault = testCase.fault ?? { message: '', type: '', body: '' }
      const said = fault.message.startsWith(describe(entry)) // merged again: marked once
      changed.cases[caseIndex] = {
        ...testCase,
        quarantined: entry.reason,
        fault: said
          ? fault
          : { ...fault, message: `${describe(entry)}: ${fault.message}`, body: `[xtest] ${describe(entry)}\n${fault.body}` },
      }
    })
    return changed ?? suite
  })
  return { suites: out, matched, expiredFailures, ambiguous: [...ambiguous].map((index) => entries[index]!) }
}
