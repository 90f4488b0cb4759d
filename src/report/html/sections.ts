// The report's sections as static HTML: everything here reads without JavaScript. Every text from the report is
// escaped; status is always a word and a symbol, never a colour alone.

import { formatDuration } from '../../shared/duration.js'
import { plural } from '../../shared/plural.js'
import { exitCodeFor } from '../exit-code.js'
import { headline, shardSeconds } from '../summary-table.js'
import { describeFallback } from '../where-ran.js'
import { classToken, escapeHtml as e } from './escape.js'
import { type HtmlFailure, SYNTHETIC_EXPLANATIONS } from './groups.js'
import { cellKey, type HtmlModel } from './model.js'
import { sourceKey } from './source-excerpt.js'
import { statusLabel, worstStatus } from './status.js'
import { describeTimeline, renderTimeline } from './timeline-svg.js'

/** Failure entries written into the page; the rest are in the test list (script) and the JUnit file. */
const MAX_STATIC_FAILURES = 300

const sec = (ms: number): string => formatDuration(ms, ' ')
const VERDICT_CLASS: Record<number, string> = { 0: 'passed', 1: 'failed', 3: 'infra', 130: 'interrupted' }

export function renderHeader(model: HtmlModel): string {
  const { summary, title, junitPath, generatedAt } = model.input
  const verdict = VERDICT_CLASS[exitCodeFor(summary)] ?? 'failed'
  const t = model.totals
  const stat = (label: string, value: string, id: string) =>
    `<div class="stat" id="total-${id}"><span class="value">${e(value)}</span> <span class="label">${label}</span></div>`
  const wall = summary.wallMs === undefined ? '' : stat('wall time', sec(summary.wallMs), 'wall')
  return [
    `<header class="verdict-${verdict}"><h1>${e(title)}</h1>`,
    `<p class="verdict" role="status"><span class="badge st-${verdict}">${e(statusLabel(verdict === 'failed' ? 'failed' : verdict))}</span> ${e(headline(summary).replace(/^xtest: /, ''))}</p>`,
    '<div class="stats">',
    stat('tests', String(t.tests), 'tests'),
    stat('passed', String(t.passed), 'passed'),
    stat('failed', String(t.failed), 'failed'),
    stat('errors', String(t.errors), 'errors'),
    stat('skipped', String(t.skipped), 'skipped'),
    t.unverified ? stat('unverified (salvaged from a crashed shard, not a pass)', String(t.unverified), 'unverified') : '',
    t.shardErrors ? stat("shard errors (xtest's own, not tests)", String(t.shardErrors), 'shard-errors') : '',
    stat('flaky', String(model.flakyCount), 'flaky'),
    summary.cached ? stat('from the result cache', String(summary.cached.tests), 'cached') : '',
    wall,
    stat('summed shard time', sec(shardSeconds(summary) * 1000), 'shard-time'),
    '</div>',
    ...(summary.hostFallbacks ?? []).map(
      (fallback) => `<p class="fallback" role="alert"><strong>Not in its image:</strong> ${e(describeFallback(fallback))}</p>`,
    ),
    `<p class="meta">JUnit: <code>${e(junitPath)}</code>${generatedAt ? ` · written ${e(generatedAt.toISOString())}` : ''}</p>`,
    '</header>',
  ].join('')
}

export function renderMatrix(model: HtmlModel): string {
  const head = `<tr><th scope="col">container</th>${model.tiers.map((tier) => `<th scope="col">${e(tier)}</th>`).join('')}</tr>`
  const rows = model.containers.map((container) => {
    const cells = model.tiers.map((tier) => {
      const cell = model.cells.get(cellKey(container, tier))
      if (cell === undefined) return '<td class="empty">—</td>'
      const status = cell.statuses.length ? worstStatus(cell.statuses) : cell.counts.failed + cell.counts.errors > 0 ? 'failed' : 'passed'
      const c = cell.counts
      return (
        `<td class="cell st-${classToken(status)}" data-container="${e(container)}" data-tier="${e(tier)}">` +
        `<span class="cell-status">${e(statusLabel(status))}</span>` +
        `<span class="cell-counts">${c.passed} passed · ${c.failed} failed · ${c.errors} errors · ${c.skipped} skipped${c.unverified ? ` · ${c.unverified} unverified` : ''}${c.shardErrors ? ` · ${plural(c.shardErrors, 'shard error')}` : ''}</span>` +
        `<span class="cell-time">${e(sec(cell.ms))}</span>` +
        (cell.ranOn.length > 0 ? `<span class="cell-ran">${e(cell.ranOn.join('; '))}</span>` : '') +
        '</td>'
      )
    })
    return `<tr><th scope="row">${e(container)}</th>${cells.join('')}</tr>`
  })
  return section('matrix', 'Containers × tiers', `<table class="matrix">${head}${rows.join('')}</table>`)
}

export function renderTimelineSection(model: HtmlModel): string {
  const notStarted = model.shards.filter((shard) => shard.startMs === undefined)
  const parts: string[] = []
  if (model.timeline) {
    const index = new Map(model.shards.map((shard, i) => [shard, i]))
    parts.push(renderTimeline(model.timeline, (shard) => index.get(shard) ?? -1))
    parts.push(...describeTimeline(model.timeline).map((line) => `<p>${e(line)}</p>`))
    parts.push(
      '<div id="shard-details" class="details-panel" aria-live="polite">Hover or focus (Tab) a bar for its shard\'s details.</div>',
    )
  } else {
    parts.push('<p>No shard times in this report (it was not written by xtest, or no shard started).</p>')
  }
  if (notStarted.length > 0)
    parts.push(
      `<p>Not started: ${notStarted.map((shard) => e(`${shard.id} (${shard.status}${shard.cause ? `: ${shard.cause}` : ''})`)).join(', ')}</p>`,
    )
  return section('timeline', 'Timeline', parts.join(''))
}

// The lines around the failing line, the failing one marked (in words too, for a screen reader).
function renderSource(failure: HtmlFailure, model: HtmlModel): string {
  if (failure.file === undefined || failure.line === undefined) return ''
  const source = model.input.sources?.get(sourceKey(failure.file, failure.line))
  if (source === undefined) return ''
  const width = String(source.first + source.lines.length - 1).length
  const lines = source.lines.map((text, index) => {
    const number = source.first + index
    const mark = number === source.line
    const label = `${mark ? '>' : ' '} ${String(number).padStart(width)} | `
    return mark ? `<mark>${e(label + text)}</mark>` : e(label + text)
  })
  return `<pre class="source" aria-label="${e(`${failure.file} around line ${failure.line}`)}">${lines.join('\n')}</pre>`
}

function renderFailure(failure: HtmlFailure, model: HtmlModel, index: number): string {
  const where = failure.file === undefined ? '' : `${failure.file}${failure.line === undefined ? '' : `:${failure.line}`}`
  const text = `${failure.container} ${failure.tier} ${where} ${failure.name} ${failure.message}`.toLowerCase()
  const shardId = failure.shardKey?.split('\u0000')[0]
  const tail = shardId === undefined ? undefined : model.input.logTails?.get(shardId)
  return [
    `<li class="failure" id="failure-${index}" data-container="${e(failure.container)}" data-tier="${e(failure.tier)}" data-status="${failure.result === 'error' ? 'error' : 'failed'}" data-text="${e(text)}">`,
    `<p class="failure-title"><span class="badge st-failed">${e(statusLabel(failure.result === 'error' ? 'error' : 'failed'))}</span> `,
    `<span class="ct">${e(`${failure.container}/${failure.tier}`)}</span> <strong>${e(failure.name)}</strong>`,
    where ? ` <code class="where">${e(where)}</code>` : '',
    '</p>',
    failure.synthetic ? `<p class="explain"><strong>What happened:</strong> ${e(SYNTHETIC_EXPLANATIONS[failure.synthetic] ?? '')}</p>` : '',
    failure.excerpt ? `<pre class="stack">${e(failure.excerpt)}</pre>` : '',
    renderSource(failure, model),
    failure.body && failure.body !== failure.excerpt
      ? `<details><summary>Whole failure text (runner frames included)</summary><pre class="log">${e(failure.body)}</pre></details>`
      : '',
    failure.output ? `<details><summary>Output</summary><pre class="log">${e(failure.output)}</pre></details>` : '',
    tail ? `<details><summary>Last log lines of shard ${e(shardId!)}</summary><pre class="log">${e(tail)}</pre></details>` : '',
    '</li>',
  ].join('')
}

export function renderFailures(model: HtmlModel): string {
  if (model.failureCount === 0) return section('failures', 'Failures (0)', '<p>No test failed.</p>')
  let written = 0
  const groups = model.failureGroups.map((group) => {
    const items: string[] = []
    for (const failure of group.items) {
      if (written >= MAX_STATIC_FAILURES) break
      items.push(renderFailure(failure, model, written++))
    }
    const more = group.items.length - items.length
    const count = `${group.items.length} test${group.items.length === 1 ? '' : 's'}`
    const title = group.key.startsWith('xtest.') ? `${group.key.slice(6).replace(/_/g, ' ')} (xtest)` : group.key
    return (
      `<details class="group" open><summary><span class="count">${count}</span> ${e(title)}</summary><ul>${items.join('')}</ul>` +
      (more > 0
        ? `<p class="more">… and ${more} more with this message: use the test list below (status “failed”) or the JUnit file.</p>`
        : '') +
      '</details>'
    )
  })
  const tests = model.failureCount - model.xtestFailureCount
  const own = model.xtestFailureCount > 0 ? `, ${plural(model.xtestFailureCount, 'shard error')} (xtest's own) after them` : ''
  const heading = `Failures (${plural(tests, 'test')}${own}; ${plural(model.failureGroups.length, 'group')} by message)`
  return section('failures', heading, groups.join(''))
}

export function renderSkips(model: HtmlModel): string {
  if (model.skipGroups.length === 0) return section('skips', 'Skips (0)', '<p>Nothing was skipped.</p>')
  const rows = model.skipGroups.map(
    (group) =>
      `<tr class="skip" data-container="${e(group.containers.join(' '))}" data-tier="${e(group.tiers.join(' '))}" data-status="skipped" data-text="${e(group.reason.toLowerCase())}">` +
      `<td>${e(group.reason)}</td><td class="num">${group.count} test${group.count === 1 ? '' : 's'}</td><td>${e(group.containers.join(', '))}</td><td>${e(group.tiers.join(', '))}</td></tr>`,
  )
  const total = model.skipGroups.reduce((sum, group) => sum + group.count, 0)
  return section(
    'skips',
    `Skips (${total}) by reason`,
    `<table class="list"><tr><th scope="col">reason</th><th scope="col">tests</th><th scope="col">containers</th><th scope="col">tiers</th></tr>${rows.join('')}</table>`,
  )
}

export function renderSlowest(model: HtmlModel): string {
  if (model.slowest.length === 0) return ''
  const rows = model.slowest.map(
    (file) =>
      `<tr><td class="num">${e(sec(file.time * 1000))}</td><td>${e(`${file.container}/${file.tier}`)}</td><td><code>${e(file.file)}</code></td></tr>`,
  )
  return section(
    'slowest',
    'Slowest files',
    `<table class="list"><tr><th scope="col">time</th><th scope="col">container/tier</th><th scope="col">file</th></tr>${rows.join('')}</table>`,
  )
}

export function renderDrift(model: HtmlModel): string {
  const drift = model.input.drift
  if (drift === undefined) return ''
  if (drift.length === 0) return section('drift', 'Tier drift', '<p>Every file fits its tier.</p>')
  const rows = drift.map((entry) => {
    const advice = entry.to ? `move to ${entry.to}` : 'split the file'
    const why = entry.kind === 'over-budget' ? `over the ${entry.tier} budget of ${sec(entry.limitMs)}` : `under ${sec(entry.limitMs)}`
    return `<tr><td><code>${e(entry.file)}</code></td><td>${e(`${entry.container}/${entry.tier}`)}</td><td class="num">${e(sec(entry.ms))}</td><td>${e(`${why}: ${advice}`)}</td></tr>`
  })
  return section(
    'drift',
    `Tier drift (${drift.length})`,
    `<table class="list"><tr><th scope="col">file</th><th scope="col">container/tier</th><th scope="col">recorded</th><th scope="col">suggestion</th></tr>${rows.join('')}</table>`,
  )
}

export function renderFlaky(model: HtmlModel): string {
  if (model.flaky.length === 0) return section('flaky', 'Flaky tests (0)', '<p>No test needed a retry to pass.</p>')
  const items = model.flaky
    .slice(0, 500)
    .map(
      (test) =>
        `<li><span class="badge st-flaky">${e(statusLabel('flaky'))}</span> ${e(`${test.container}/${test.tier}`)} <code>${e(test.file)}</code> ${e(test.name)}</li>`,
    )
  return section('flaky', `Flaky tests (${model.flaky.length}): passed on retry`, `<ul>${items.join('')}</ul>`)
}

export const section = (id: string, title: string, body: string): string =>
  `<section id="${id}" aria-labelledby="${id}-title"><h2 id="${id}-title">${e(title)}</h2>${body}</section>`
