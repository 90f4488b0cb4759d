// The shard timeline as a Mermaid `gantt` for the GitHub step summary (GitHub renders Mermaid in Markdown): one
// task per shard at its real start and end, failing shards `crit`, the critical path `active` and starred.

import { formatDuration } from '../shared/duration.js'
import { plural } from '../shared/plural.js'
import type { TimelineLayout } from './timeline.js'

/** Tasks drawn at most; a run with more says how many were left out. */
const MAX_GANTT_TASKS = 200

const GREEN = new Set(['passed', 'flaky', 'no-tests'])
// Mermaid reads `:` as the end of a task title, `#` and `;` as syntax, `%%` as a comment: none may reach it.
const safe = (text: string): string => text.replace(/[^\p{L}\p{N} ._/()★-]/gu, '_').slice(0, 80)

/** A fenced ```mermaid block, or '' when no shard has a start time. */
export function formatGantt(timeline: TimelineLayout | undefined): string {
  if (timeline === undefined || timeline.bars.length === 0) return ''
  const hours = timeline.wallMs >= 3_600_000
  const lines = [
    '```mermaid',
    'gantt',
    `  title Shards: ${formatDuration(timeline.wallMs, ' ')} wall time on ${timeline.lanes} lane${timeline.lanes === 1 ? '' : 's'}`,
    '  dateFormat x',
    `  axisFormat ${hours ? '%H:%M' : '%H:%M:%S'}`,
  ]
  const bars = timeline.bars.slice(0, MAX_GANTT_TASKS)
  const containers = [...new Set(bars.map((bar) => bar.container))]
  for (const container of containers) {
    lines.push(`  section ${safe(container)}`)
    for (const bar of bars.filter((each) => each.container === container)) {
      const tags = [GREEN.has(bar.status) ? 'done' : 'crit', ...(bar.critical ? ['active'] : [])]
      const title = safe(`${bar.critical ? '★ ' : ''}${bar.id} ${bar.status} (${plural(bar.counts.tests, 'test')})`)
      // Mermaid needs a visible length: at least one second.
      lines.push(`    ${title} :${tags.join(', ')}, ${bar.startMs}, ${bar.startMs! + Math.max(1000, Math.round(bar.durationMs))}`)
    }
  }
  lines.push('```')
  const left = timeline.bars.length - bars.length
  const note = left > 0 ? `\n_${left} more shards left out of the chart._\n` : ''
  return `\n### Timeline\n\n★ critical path · red: failed, crashed or stopped shards\n\n${lines.join('\n')}\n${note}`
}
