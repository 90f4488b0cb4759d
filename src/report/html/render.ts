// The whole report as one self-contained HTML document: inline CSS, SVG and script, the testcases as embedded
// JSON, and a Content-Security-Policy that allows no network request of any kind (only this script and style).

import { createHash } from 'node:crypto'
import { renderCoverage } from '../coverage/coverage-html.js'
import { CLIENT_SCRIPT } from './client-script.js'
import { escapeHtml as e, jsonForScript } from './escape.js'
import { buildHtmlModel, type HtmlReportInput } from './model.js'
import {
  renderDrift,
  renderFailures,
  renderFlaky,
  renderHeader,
  renderMatrix,
  renderSkips,
  renderSlowest,
  renderTimelineSection,
  section,
} from './sections.js'
import { STYLES } from './styles.js'

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

const FILTERS = `<div id="filters" class="filters" role="search" hidden>
<label>Filter <input id="f-text" type="search" placeholder="test, file or message" aria-label="Filter by text"></label>
<label>status <select id="f-status" aria-label="Filter by status"><option value="">any</option><option value="failed">failed or error</option><option value="passed">passed</option><option value="skipped">skipped</option><option value="flaky">flaky</option></select></label>
<label>container <select id="f-container" aria-label="Filter by container"><option value="">any</option></select></label>
<label>tier <select id="f-tier" aria-label="Filter by tier"><option value="">any</option></select></label>
<button id="f-clear" type="button">Clear</button> <span id="filter-state" aria-live="polite"></span></div>`

const TESTS = `<noscript><p>The filter and the list of every test need JavaScript; everything above reads without it, and the JUnit file has every test.</p></noscript>
<div id="tests-js" hidden><p id="tests-count" aria-live="polite"></p>
<table><thead><tr><th scope="col">status</th><th scope="col">container/tier</th><th scope="col">file</th><th scope="col">test</th><th scope="col">time</th></tr></thead><tbody id="tests-body"></tbody></table>
<p><button id="tests-more" type="button">Show 200 more</button></p></div>`

export function renderHtmlReport(input: HtmlReportInput): string {
  const model = buildHtmlModel(input)
  const csp = `default-src 'none'; style-src ${sha256(STYLES)}; script-src ${sha256(CLIENT_SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`
  const toc = [
    ['matrix', 'Matrix'],
    ['timeline', 'Timeline'],
    ['failures', `Failures (${model.failureCount - model.xtestFailureCount})`],
    ['skips', 'Skips'],
    ['slowest', 'Slowest files'],
    ['coverage', 'Coverage'],
    ['drift', 'Tier drift'],
    ['flaky', `Flaky (${model.flakyCount})`],
    ['tests', 'All tests'],
  ]
    .filter(([id]) => (id !== 'drift' || input.drift !== undefined) && (id !== 'coverage' || input.summary.coverage !== undefined))
    .map(([id, label]) => `<a href="#${id}">${e(label!)}</a>`)
    .join('')
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(input.title)}</title><style>${STYLES}</style></head><body>`,
    renderHeader(model),
    `<main><nav class="toc" aria-label="Sections">${toc}</nav>`,
    FILTERS,
    renderMatrix(model),
    renderTimelineSection(model),
    renderFailures(model),
    renderSkips(model),
    renderSlowest(model),
    renderCoverage(input.summary.coverage),
    renderDrift(model),
    renderFlaky(model),
    section('tests', `All tests (${model.totals.tests})`, TESTS),
    '</main>',
    `<script type="application/json" id="xtest-data">${jsonForScript(model.data)}</script>`,
    `<script>${CLIENT_SCRIPT}</script>`,
    '</body></html>\n',
  ].join('\n')
}
