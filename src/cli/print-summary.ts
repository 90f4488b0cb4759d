// What `xtest run` and `xtest merge` print on stdout at the end, the same for both.
import { formatCoverageText, formatSummaryText, type RunSummary } from '../report/index.js'
import type { Output } from '../shared/output.js'

/** The merged coverage's text reports (when asked for), then the summary. */
export function printSummary(summary: RunSummary, out: Output): void {
  if (summary.coverage) out.stdout.write(formatCoverageText(summary.coverage))
  out.stdout.write(`${formatSummaryText(summary)}\n`)
}
