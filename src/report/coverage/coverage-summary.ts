// The merged coverage in the run's summaries: the reporters' terminal text and missed thresholds on the terminal,
// and the totals (overall, per container, per tier) as a Markdown table.
import { METRICS } from './coverage-options.js'
import type { CoverageTotals, MergedCoverage } from './merge-coverage.js'

/** The text reporters' output, then one `ERROR:` line per missed threshold (Vitest's wording). */
export function formatCoverageText(coverage: MergedCoverage): string {
  const errors = coverage.failures.map((line) => `ERROR: ${line}\n`).join('')
  return `${coverage.text}${errors}`
}

/** Rows of totals: all shards, then each container and each tier. */
export function coverageRows(coverage: MergedCoverage): Array<{ scope: string; totals: CoverageTotals }> {
  return [
    { scope: 'all', totals: coverage.totals },
    ...Object.entries(coverage.byContainer).map(([name, totals]) => ({ scope: `container ${name}`, totals })),
    ...Object.entries(coverage.byTier).map(([name, totals]) => ({ scope: `tier ${name}`, totals })),
  ]
}

/** `covered/total (pct %)` of one metric. */
export function formatMetric({ covered, total, pct }: CoverageTotals[keyof CoverageTotals]): string {
  return `${pct}% (${covered}/${total})`
}

export function formatCoverageMarkdown(coverage: MergedCoverage): string {
  const lines = ['### Coverage', '', `| | ${METRICS.join(' | ')} |`, `|---|${METRICS.map(() => '---:').join('|')}|`]
  for (const { scope, totals } of coverageRows(coverage))
    lines.push(`| ${scope} | ${METRICS.map((metric) => formatMetric(totals[metric])).join(' | ')} |`)
  for (const failure of coverage.failures) lines.push('', `**ERROR:** ${failure}`)
  return lines.join('\n')
}
