// The last steps before a merged report is written, shared by `xtest run` and `xtest merge`: the properties xtest
// vouches for, then the quarantine from the config.
import { applyQuarantine, type QuarantineEntry, todayOf } from './quarantine.js'
import { QUARANTINED, setRunProperties } from './run-properties.js'
import type { JUnitReport, ReportProperty, ReportSuite, RunSummary } from './types.js'

export interface ReportExtras {
  /** Set on every suite (plan hash, part, the run a re-run completes), over whatever a shard wrote under these names. */
  properties?: readonly ReportProperty[]
  /** The config's quarantine list. */
  quarantine?: readonly QuarantineEntry[]
  /** Today, for the quarantine's `until`. Default: now. */
  now?: Date
}

/** What a merge made: the report in memory (never read back), its summary, the quarantine entries (by index) that matched a test. */
export interface Merged {
  report: JUnitReport
  summary: RunSummary
  quarantined: ReadonlySet<number>
}

/** `keepParts`: for `xtest merge`, whose parts' own plan and part properties are what it checked (only the quarantine mark is reset). */
export function finishReport(
  suites: readonly ReportSuite[],
  extras: ReportExtras,
  notes: string[],
  keepParts = false,
): { suites: ReportSuite[]; quarantined: ReadonlySet<number> } {
  const marked = keepParts ? clearQuarantineMarks(suites) : setRunProperties(suites, extras.properties)
  const quarantine = applyQuarantine(marked, extras.quarantine ?? [], todayOf(extras.now ?? new Date()))
  for (const entry of quarantine.expiredFailures) {
    notes.push(`quarantine of "${entry.test}" expired on ${entry.until}: its failure fails the run again`)
  }
  for (const entry of quarantine.ambiguous) {
    notes.push(`quarantine of "${entry.test}" matches more than one test of its file: it protects none of them (rename one)`)
  }
  return { suites: quarantine.suites, quarantined: quarantine.matched }
}

// A report's own `xtest.quarantined` marks say nothing: the quarantine is the config's, applied again here.
const clearQuarantineMarks = (suites: readonly ReportSuite[]): ReportSuite[] =>
  suites.map((suite) => ({ ...suite, properties: suite.properties.filter((property) => property.name !== QUARANTINED) }))
