// The merged coverage's section of report.html: totals of the whole run, of each container and of each tier.
import { escapeHtml as e } from '../html/escape.js'
import { section } from '../html/sections.js'
import { METRICS } from './coverage-options.js'
import { coverageRows, formatMetric } from './coverage-summary.js'
import type { MergedCoverage } from './merge-coverage.js'

export function renderCoverage(coverage: MergedCoverage | undefined): string {
  if (!coverage) return ''
  const head = `<tr><th scope="col">shards</th>${METRICS.map((metric) => `<th scope="col">${metric}</th>`).join('')}</tr>`
  const rows = coverageRows(coverage).map(
    ({ scope, totals }) =>
      `<tr><td>${e(scope)}</td>${METRICS.map((metric) => `<td class="num">${e(formatMetric(totals[metric]))}</td>`).join('')}</tr>`,
  )
  const failures = coverage.failures.map((line) => `<li>${e(line)}</li>`).join('')
  return section('coverage', 'Coverage', `<table class="list">${head}${rows.join('')}</table>${failures ? `<ul>${failures}</ul>` : ''}`)
}
