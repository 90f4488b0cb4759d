// How `xtest plan` shows the split of work: parts of --shard, recorded timings, files that outgrew their tier.
import type { DriftEntry } from '../plan/drift.js'
import type { PreparedPlan } from '../plan/prepare.js'
import type { PartSummary, ShardPart } from '../plan/shard-split.js'
import { formatDuration } from '../shared/duration.js'
import { formatTable } from '../shared/table.js'

/** The N parts of `--shard` with their expected times; the chosen one marked `*`. */
export function formatParts(parts: readonly PartSummary[], chosen: ShardPart, prepared: PreparedPlan): string {
  const rows = parts.map((part) => [
    `${part.index}/${chosen.count}${part.index === chosen.index ? ' *' : ''}`,
    String(part.files),
    formatDuration(part.expectedMs),
  ])
  const loads = parts.map((part) => part.expectedMs)
  const total = loads.reduce((sum, ms) => sum + ms, 0)
  const spread = total === 0 ? '' : `, largest part ${(Math.max(...loads) / (total / parts.length)).toFixed(2)}× the mean`
  return [formatTable(['part', 'files', 'expected'], rows), `${describeTimings(prepared)}${spread}`].join('\n')
}

/** `312 of 400 files have a recorded time; the others count as the median, 1.2s`. */
function describeTimings(prepared: PreparedPlan): string {
  if (prepared.total === 0) return 'no files selected'
  if (prepared.timed === prepared.total) return `all ${prepared.total} (container, tier, file) items have a recorded time`
  return `${prepared.timed} of ${prepared.total} (container, tier, file) items have a recorded time; the others count as ${prepared.timed === 0 ? 'equal' : `the median, ${formatDuration(prepared.medianMs)}`}`
}

/** `xtest plan --drift`: files whose recorded time no longer fits their tier. */
export function formatDrift(entries: readonly DriftEntry[]): string {
  if (entries.length === 0) return 'no tier drift: every timed file fits its tier'
  const rows = entries.map((entry) => [
    entry.file,
    entry.container,
    entry.tier,
    formatDuration(entry.ms),
    entry.kind === 'over-budget'
      ? `over ${entry.tier}'s ${formatDuration(entry.limitMs)} per file: ${entry.to ? `tag it ${entry.to}` : 'split it'}`
      : `under ${formatDuration(entry.limitMs)}: could be ${entry.to}`,
  ])
  return formatTable(['file', 'container', 'tier', 'time', 'drift'], rows)
}
