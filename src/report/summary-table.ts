// What the text and Markdown summaries share: the table cells, durations, the headline and failure titles.

import { ExitCode } from '../core/exit-codes.js'
import { line, printable } from '../core/printable.js'
import { formatDuration } from '../shared/duration.js'
import { plural } from '../shared/plural.js'
import { exitCodeFor } from './exit-code.js'
import type { Counts, FailureInfo, RunSummary, SummaryRow } from './types.js'
import { describeFallback } from './where-ran.js'

export const TABLE_HEADER = ['container', 'tier', 'ran on', 'status', 'passed', 'failed', 'skipped', 'errors', 'time'] as const
/** Columns aligned right (numbers). */
export const NUMERIC_COLUMNS: ReadonlySet<number> = new Set([4, 5, 6, 7, 8])

const countCells = (counts: Counts, seconds: number): string[] =>
  [counts.passed, counts.failed, counts.skipped, counts.errors].map(String).concat(formatDuration(seconds * 1000, ' '))

// A row's time is its shards' run time when known (start-up included), else the time its tests report.
const rowSeconds = (row: SummaryRow): number => (row.shardMs === undefined ? row.counts.time : row.shardMs / 1000)

/** Sum of the rows' times in seconds (shards' run time where known): machine time, not wall time. */
export const shardSeconds = (summary: RunSummary): number => summary.rows.reduce((sum, row) => sum + rowSeconds(row), 0)

/**
 * One row per container × tier, then a total row. The total's time is the run's wall time when known (the
 * shards ran side by side, so their sum is not how long the run took); `timeLine` says both.
 */
export function tableRows(summary: RunSummary): string[][] {
  const rows = summary.rows.map((row) => [
    row.container,
    row.tier,
    row.ranOn?.join('; ') ?? '-',
    [
      ...row.statuses,
      ...(row.cached === undefined ? [] : ['cached']),
      ...(row.counts.unverified ? [`${row.counts.unverified} unverified`] : []),
      ...(row.counts.shardErrors ? [plural(row.counts.shardErrors, 'shard error')] : []),
    ].join(', ') || '-',
    ...countCells(row.counts, rowSeconds(row)),
  ])
  const total = summary.wallMs === undefined ? shardSeconds(summary) : summary.wallMs / 1000
  return [...rows, ['total', '', '', '', ...countCells(summary.totals, total)]]
}

/** One line per container that ran on the host instead of in its image: said at the end, where it is read. */
export const fallbackLines = (summary: RunSummary): string[] =>
  (summary.hostFallbacks ?? []).map((fallback) => `WARNING: ${printable(describeFallback(fallback))}`)

/** `Time: 12.3s wall; 30.1s summed over 6 shards`; undefined when the wall time is unknown (reports of other tools). */
export function timeLine(summary: RunSummary): string | undefined {
  if (summary.wallMs === undefined) return undefined
  const shards = summary.shardCount ?? 0
  const over = shards > 0 ? ` over ${plural(shards, 'shard')}` : ''
  return `Time: ${formatDuration(summary.wallMs, ' ')} wall; ${formatDuration(shardSeconds(summary) * 1000, ' ')} summed${over}`
}

const VERDICTS: Record<number, string> = {
  [ExitCode.ok]: 'passed',
  [ExitCode.testsFailed]: 'FAILED',
  [ExitCode.infra]: 'INFRASTRUCTURE FAILURE',
  [ExitCode.interrupted]: 'INTERRUPTED',
}

/** `xtest: FAILED: 3 failed, 1 error, 120 passed, 4 skipped of 128 tests`. */
export function headline(summary: RunSummary): string {
  const { totals } = summary
  const verdict = VERDICTS[exitCodeFor(summary)] ?? 'done'
  const parts = [
    `${totals.failed} failed`,
    `${totals.errors} error${totals.errors === 1 ? '' : 's'}`,
    `${totals.passed} passed`,
    `${totals.skipped} skipped`,
  ]
  if (summary.quarantined?.length) parts.splice(2, 0, `${summary.quarantined.length} of them quarantined`)
  if (totals.unverified) parts.push(`${totals.unverified} unverified (salvaged from a crashed shard's log, not a pass)`)
  const cached = summary.cached ? ` (${summary.cached.tests} from the result cache)` : ''
  const apart = totals.shardErrors ? `, ${plural(totals.shardErrors, 'shard error')}` : ''
  // Tests that all passed fail the run when the merged coverage misses a threshold: the headline says which failed.
  const coverage = summary.coverage?.failures.length ? ', coverage below its thresholds (above)' : ''
  return `xtest: ${verdict}: ${parts.join(', ')} of ${plural(totals.tests, 'test')}${cached}${apart}${coverage}`
}

/** `amp/fast src/a.test.ts > adds (src/a.test.ts:12)`; without a file, `<suite> > <name>`; ` [flaky]` when it also passed. */
export function failureTitle(failure: FailureInfo): string {
  const flaky = failure.flaky ? ' [flaky: also passed in this run]' : ''
  if (failure.file === undefined) return `${line`${failure.suite} > ${failure.name}`}${flaky}`
  const at = failure.line === undefined ? '' : line` (${failure.file}:${failure.line})`
  const prefix = failure.container === '-' ? '' : line`${failure.container}/${failure.tier} `
  return `${prefix}${line`${failure.file} > ${failure.name}`}${at}${flaky}`
}
