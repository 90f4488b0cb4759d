// The summary as Markdown for `$GITHUB_STEP_SUMMARY` / `--summary FILE`, kept under a byte budget.

import { printable, printableLines } from '../core/printable.js'
import { formatDuration } from '../shared/duration.js'
import { formatCoverageMarkdown } from './coverage/coverage-summary.js'
import { describeGroup, isXtestFailure } from './failure-groups.js'
import { formatGantt } from './summary-gantt.js'
import { failureTitle, fallbackLines, headline, TABLE_HEADER, tableRows, timeLine } from './summary-table.js'
import type { FailureInfo, RunSummary } from './types.js'

export interface SummaryMarkdownOptions {
  /** Byte budget (GitHub takes at most 1 MiB per step summary). Default 1 MiB. */
  maxBytes?: number
}

interface Section {
  head: string
  items: string[]
  dropped: number
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const cell = (text: string): string => escapeHtml(printable(text)).replace(/\|/g, '\\|')

/** A fence longer than any backtick run inside, so that the content cannot close it. */
function fenced(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length))
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return `${fence}text\n${text}\n${fence}\n`
}

const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |\n`
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')
const trimNote = (dropped: number): string =>
  `\n_${dropped} more left out to keep the summary under its size limit; the JUnit report has them all._\n`
// Room for the trim note the section gains.
const NOTE_RESERVE = 200
const render = (section: Section): string => section.head + section.items.join('') + (section.dropped > 0 ? trimNote(section.dropped) : '')

/** Drops items from the end of the longest sections first until the whole fits `maxBytes`. */
function fitSections(sections: Section[], maxBytes: number): string {
  let total = sections.reduce((sum, section) => sum + bytes(render(section)), 0)
  while (total > maxBytes) {
    const [longest] = sections.filter((section) => section.items.length > 0).sort((a, b) => bytes(render(b)) - bytes(render(a)))
    if (longest === undefined) break
    const before = bytes(render(longest))
    const excess = total - maxBytes
    let removed = 0
    while (longest.items.length > 0 && removed < excess + NOTE_RESERVE) {
      removed += bytes(longest.items.pop() ?? '')
      longest.dropped++
    }
    total += bytes(render(longest)) - before
  }
  return sections.map(render).join('')
}

/** The summary as GitHub-flavoured Markdown: table, time, a Mermaid gantt of the shards, slowest files, failures (collapsed), notes. */
export function formatSummaryMarkdown(summary: RunSummary, options: SummaryMarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? 1024 * 1024
  const table = `## ${cell(headline(summary))}\n\n${row(TABLE_HEADER)}|${' --- |'.repeat(4)}${' ---: |'.repeat(5)}\n`
  const time = timeLine(summary)
  const sections: Section[] = [{ head: table, items: tableRows(summary).map(row), dropped: 0 }]
  const fallbacks = fallbackLines(summary)
  if (fallbacks.length > 0) sections.push({ head: `\n${fallbacks.map((each) => `> **${cell(each)}**\n`).join('')}`, items: [], dropped: 0 })
  if (time !== undefined) sections.push({ head: `\n${cell(time)}\n`, items: [], dropped: 0 })
  const gantt = formatGantt(summary.timeline)
  if (gantt !== '') sections.push({ head: gantt, items: [], dropped: 0 })
  if (summary.coverage) sections.push({ head: `\n${formatCoverageMarkdown(summary.coverage)}\n`, items: [], dropped: 0 })
  if (summary.slowestFiles.length > 0) {
    sections.push({
      head: '\n### Slowest files\n\n| time | container/tier | file |\n| ---: | --- | --- |\n',
      items: summary.slowestFiles.map((file) => row([formatDuration(file.time * 1000, ' '), `${file.container}/${file.tier}`, file.file])),
      dropped: 0,
    })
  }
  const details = (failure: FailureInfo) => {
    const label = failure.result === 'error' ? 'ERROR' : 'FAIL'
    const body = failure.excerpt.trim() === '' ? '' : `\n${fenced(printableLines(failure.excerpt).join('\n'))}`
    return `<details><summary>${label} ${escapeHtml(failureTitle(failure))}</summary>\n${body}\n</details>\n`
  }
  const tests = summary.failures.filter((failure) => !isXtestFailure(failure))
  const own = summary.failures.filter(isXtestFailure)
  if (tests.length > 0) sections.push({ head: `\n### Failures (${tests.length})\n\n`, items: tests.map(details), dropped: 0 })
  const quarantined = summary.quarantined ?? []
  if (quarantined.length > 0) {
    sections.push({
      head: `\n### Quarantined failures (${quarantined.length}, they do not fail the run)\n\n`,
      items: quarantined.map((failure) => `- ${cell(`${failureTitle(failure)}: ${failure.quarantine ?? ''}`.slice(0, 2000))}\n`),
      dropped: 0,
    })
  }
  if ((summary.flaky ?? []).length > 0) {
    sections.push({
      head: '\n### Flaky tests (recent runs mix passes and failures)\n\n| flake rate | recent | test |\n| ---: | --- | --- |\n',
      items: summary.flaky!.map((test) => row([`${Math.round(test.rate * 100)}%`, test.recent, test.test.slice(0, 1000)])),
      dropped: 0,
    })
  }
  if (own.length > 0) {
    sections.push({ head: `\n### Shard errors (${own.length}): xtest's own, not test results\n\n`, items: own.map(details), dropped: 0 })
  }
  if (summary.failureGroups.length > 0) {
    const files = summary.failureGroups.reduce((sum, group) => sum + group.count, 0)
    sections.push({
      head: `\n### Files without a result (${files}), by cause\n\n`,
      items: summary.failureGroups.map((group) => `- ${cell(describeGroup(group).slice(0, 2000))}\n`),
      dropped: 0,
    })
  }
  if (summary.notes.length > 0) {
    sections.push({ head: '\n### Notes\n\n', items: summary.notes.map((note) => `- ${cell(note.slice(0, 1000))}\n`), dropped: 0 })
  }
  sections.push({ head: `\nJUnit: \`${printable(summary.outPath).replace(/`/g, "'")}\`\n`, items: [], dropped: 0 })
  return fitSections(sections, maxBytes)
}
