// The shard timeline as inline SVG: one bar per shard on its concurrency lane, the critical path outlined and
// starred, idle lane time hatched. Hover shows a native tooltip; focus (Tab) fills the details panel (script).
import { formatDuration } from '../../shared/duration.js'
import { plural } from '../../shared/plural.js'
import type { HtmlShard, TimelineLayout } from '../timeline.js'
import { classToken, escapeHtml } from './escape.js'
import { statusLabel } from './status.js'

const WIDTH = 960
const LANE = 26
const GAP = 6
const AXIS = 22

const seconds = (ms: number): string => formatDuration(ms, ' ')

/** A tick step of 1, 2 or 5 × 10^n seconds giving at most about 8 ticks. */
function tickStep(wallMs: number): number {
  const raw = wallMs / 8
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)))
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? raw
}

function describeShard(shard: HtmlShard): string {
  const { tests, failed, errors, skipped, passed } = shard.counts
  const parts = [
    `${shard.id}${shard.part ? ` (part ${shard.part})` : ''}: ${statusLabel(shard.status)}`,
    `${plural(tests, 'test')} (${passed} passed, ${failed} failed, ${errors} errors, ${skipped} skipped)`,
    seconds(shard.durationMs),
  ]
  if (shard.critical) parts.push('on the critical path')
  if (shard.cause) parts.push(`cause: ${shard.cause}`)
  if (shard.imageId) parts.push(`image ${shard.image ?? ''} ${shard.imageId.slice(0, 19)}`.replace('  ', ' '))
  return parts.join('; ')
}

export function renderTimeline(layout: TimelineLayout, indexOf: (shard: HtmlShard) => number): string {
  const height = layout.lanes * (LANE + GAP) + AXIS
  const scale = (ms: number) => (layout.wallMs <= 0 ? 0 : (ms / layout.wallMs) * WIDTH)
  const out: string[] = [
    `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="group" aria-label="Shard timeline: ${layout.bars.length} shards on ${layout.lanes} lanes">`,
    '<defs><pattern id="idle" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" class="idle-bg"/><line x1="0" y1="0" x2="0" y2="8" class="idle-line"/></pattern></defs>',
  ]
  for (let lane = 0; lane < layout.lanes; lane++) {
    const part = layout.laneParts?.[lane]
    const owner = part ? `part ${part}, ` : ''
    out.push(
      `<rect class="lane" x="0" y="${lane * (LANE + GAP)}" width="${WIDTH}" height="${LANE}" fill="url(#idle)"><title>${escapeHtml(owner)}lane ${lane + 1}: hatched = idle</title></rect>`,
    )
  }
  for (const bar of layout.bars) {
    const x = scale(bar.startMs! - layout.startMs)
    const width = Math.max(2, scale(bar.durationMs))
    const y = bar.lane! * (LANE + GAP)
    const label = `${bar.critical ? '★ ' : ''}${bar.id} ${statusLabel(bar.status)}`
    const text =
      label.length * 7 < width - 6 ? label : label.length > 3 && width > 40 ? `${label.slice(0, Math.floor((width - 6) / 7) - 1)}…` : ''
    const description = describeShard(bar)
    out.push(
      `<g class="bar st-${classToken(bar.status)}${bar.critical ? ' critical' : ''}" tabindex="0" data-shard="${indexOf(bar)}" aria-label="${escapeHtml(description)}">`,
      `<title>${escapeHtml(description)}</title>`,
      `<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${LANE}" rx="3"/>`,
      text ? `<text x="${(x + 4).toFixed(1)}" y="${y + 17}">${escapeHtml(text)}</text>` : '',
      '</g>',
    )
  }
  // Over the bars, the first lane of each part says which part the lanes below it belong to, at the right edge.
  layout.laneParts?.forEach((part, lane) => {
    if (layout.laneParts![lane - 1] !== part)
      out.push(
        `<text class="lane-part" x="${WIDTH - 4}" y="${lane * (LANE + GAP) + 17}" text-anchor="end">${escapeHtml(`part ${part}`)}</text>`,
      )
  })
  const axisY = layout.lanes * (LANE + GAP) + 4
  const step = tickStep(layout.wallMs)
  for (let at = 0; at <= layout.wallMs + 1; at += step) {
    const x = Math.min(scale(at), WIDTH - 1)
    out.push(`<line class="tick" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="0" y2="${axisY}"/>`)
    out.push(`<text class="tick-label" x="${Math.min(x + 2, WIDTH - 40).toFixed(1)}" y="${axisY + 14}">${escapeHtml(seconds(at))}</text>`)
  }
  out.push('</svg>')
  return out.join('')
}

/** The sentences under the timeline: critical path, idle capacity. */
export function describeTimeline(layout: TimelineLayout): string[] {
  const critical = layout.bars.filter((bar) => bar.critical).sort((a, b) => a.startMs! - b.startMs!)
  const last = critical[critical.length - 1]
  const criticalMs = last === undefined ? 0 : last.startMs! + last.durationMs - critical[0]!.startMs!
  const idleShare = layout.lanes * layout.wallMs > 0 ? Math.round((layout.idleMs / (layout.lanes * layout.wallMs)) * 100) : 0
  const byPart = layout.laneParts ? [...new Set(layout.laneParts)] : []
  return [
    ...(byPart.length
      ? [
          `Lanes grouped by CI part: ${byPart.map((part) => `part ${part} (${plural(layout.laneParts!.filter((each) => each === part).length, 'lane')})`).join(', ')}.`,
        ]
      : []),
    `Critical path (★, thick outline): ${critical.map((bar) => bar.id).join(' → ')}, spanning ${seconds(criticalMs)} of ${seconds(layout.wallMs)} wall time.`,
    `Idle capacity (hatched): ${idleShare}% of ${layout.lanes} lane${layout.lanes === 1 ? '' : 's'} × ${seconds(layout.wallMs)} (${seconds(layout.idleMs)} of lane time unused).`,
  ]
}
