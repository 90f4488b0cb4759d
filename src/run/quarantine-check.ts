// Warnings about the config's quarantine list: entries past `until` (they no longer protect their test), entries
// whose file is not a planned test file, and entries whose file ran but has no test of that name.
import type { ResolvedConfig } from '../config/resolve.js'
import type { Plan } from '../plan/types.js'
import { isExpired, splitQuarantineTest, todayOf, type JUnitReport, type QuarantineEntry } from '../report/index.js'

const entriesOf = (config: ResolvedConfig): QuarantineEntry[] => (config as { quarantine?: QuarantineEntry[] }).quarantine ?? []

/** Before a run and in `xtest plan`: expired entries and entries naming no planned test file. */
export function checkQuarantine(config: ResolvedConfig, plan: Plan | undefined, now = new Date()): string[] {
  const today = todayOf(now)
  const files = plan && new Set(plan.files.map((file) => file.path))
  const lines: string[] = []
  for (const entry of entriesOf(config)) {
    if (isExpired(entry, today))
      lines.push(`quarantine of '${entry.test}' expired on ${entry.until}: it no longer protects the test (renew or remove the entry)`)
    const file = splitQuarantineTest(entry.test)?.[0]
    if (files && file !== undefined && files.size > 0 && !files.has(file))
      lines.push(`quarantine entry '${entry.test}' matches no test: ${file} is not a test file of the plan`)
  }
  return lines
}

/** After a run or merge: entries whose file is in the report but that matched none of its tests. */
export function unmatchedQuarantine(config: ResolvedConfig, report: JUnitReport, matched: ReadonlySet<number>): string[] {
  // Files that ran: a stand-in case (`[xtest] …`, the file has no result) says nothing about its tests.
  const ran = report.suites.filter((suite) => suite.cases.some((testCase) => !testCase.name.startsWith('[xtest] ')))
  const files = new Set(ran.flatMap((suite) => suite.file ?? []))
  return entriesOf(config).flatMap((entry, index) => {
    const file = splitQuarantineTest(entry.test)?.[0]
    return matched.has(index) || file === undefined || !files.has(file)
      ? []
      : [`quarantine entry '${entry.test}' matches no test of ${file}`]
  })
}

export { entriesOf as quarantineOf }
