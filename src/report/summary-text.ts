// The end-of-run summary as plain text for a terminal or a CI log: table, slowest files, failures, notes.
import { line, printable, printableLines } from '../core/printable.js'
import { formatDuration } from '../shared/duration.js'
import { alignColumns } from '../shared/table.js'
import { describeGroup, isXtestFailure } from './failure-groups.js'
import { failureTitle, fallbackLines, headline, NUMERIC_COLUMNS, TABLE_HEADER, tableRows, timeLine } from './summary-table.js'
import type { FailureInfo, RunSummary } from './types.js'

export interface SummaryTextOptions {
  /** Failures listed in full; the rest are counted. Default 30. */
  maxFailures?: number
  /** Lines of each test failure shown. Default: the whole excerpt (message, diff, the test's own frames; bounded). */
  failureLines?: number
}

/** Lines of each of xtest's own errors shown (its cause; the log tail is in the JUnit and the HTML). */
const XTEST_ERROR_LINES = 6

const MAX_FLAKY = 10

/** `flake rate 40%`. */
const formatRate = (rate: number): string => `flake rate ${Math.round(rate * 100)}%`

const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`.trimEnd())
    .join('\n')

/** The summary as plain text (no colour): what `xtest run` prints on stdout at the end. */
export function formatSummaryText(summary: RunSummary, options: SummaryTextOptions = {}): string {
  const maxFailures = options.maxFailures ?? 30
  const out: string[] = [headline(summary), '', ...alignColumns([[...TABLE_HEADER], ...tableRows(summary)], NUMERIC_COLUMNS)]
  out.push(...fallbackLines(summary))
  const time = timeLine(summary)
  if (time !== undefined) out.push(time)
  if (summary.slowestFiles.length > 0) {
    out.push('', 'Slowest files:')
    const rows = summary.slowestFiles.map((file) => [formatDuration(file.time * 1000, ' '), `${file.container}/${file.tier}`, file.file])
    out.push(...alignColumns(rows, new Set([0])).map((line) => `  ${line}`))
  }
  const tests = summary.failures.filter((failure) => !isXtestFailure(failure))
  const own = summary.failures.filter(isXtestFailure)
  const listFailures = (failures: FailureInfo[], lines: number | undefined) => {
    for (const failure of failures.slice(0, maxFailures)) {
      out.push(`  ${failure.result === 'error' ? 'ERROR' : 'FAIL'} ${failureTitle(failure)}`)
      const excerpt = printableLines(failure.excerpt).slice(0, lines).join('\n')
      if (excerpt.trim() !== '') out.push(indent(excerpt, '      '))
    }
    if (failures.length > maxFailures) out.push(line`  … and ${failures.length - maxFailures} more (see ${summary.outPath})`)
  }
  if (tests.length > 0) {
    out.push('', `Failures (${tests.length}):`)
    listFailures(tests, options.failureLines)
  }
  const quarantined = summary.quarantined ?? []
  if (quarantined.length > 0) {
    out.push('', `Quarantined failures (${quarantined.length}, they do not fail the run):`)
    for (const failure of quarantined.slice(0, maxFailures))
      out.push(`  QUARANTINED ${failureTitle(failure)}: ${printable(failure.quarantine ?? '')}`)
    if (quarantined.length > maxFailures) out.push(line`  … and ${quarantined.length - maxFailures} more (see ${summary.outPath})`)
  }
  const flaky = summary.flaky ?? []
  if (flaky.length > 0) {
    out.push('', `Flaky tests (their recent runs mix passes and failures: P passed, F failed, R passed on retry):`)
    const rows = flaky.slice(0, MAX_FLAKY).map((test) => [formatRate(test.rate), test.recent, test.test])
    out.push(...alignColumns(rows, new Set([0])).map((line) => `  ${line}`))
    if (flaky.length > MAX_FLAKY) out.push(`  … and ${flaky.length - MAX_FLAKY} more (xtest plan --flaky)`)
  }
  if (own.length > 0) {
    out.push('', `Shard errors (${own.length}): xtest's own, not test results:`)
    listFailures(own, XTEST_ERROR_LINES)
  }
  if (summary.failureGroups.length > 0) {
    const files = summary.failureGroups.reduce((sum, group) => sum + group.count, 0)
    out.push('', `Files without a result (${files}), by cause:`, ...summary.failureGroups.map((group) => `  ${describeGroup(group)}`))
  }
  if (summary.notes.length > 0) out.push('', 'Notes:', ...summary.notes.map((note) => line`  - ${note}`))
  out.push('', line`JUnit: ${summary.outPath}`)
  return `${out.join('\n')}\n`
}
