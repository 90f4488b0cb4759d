import type { DriftEntry } from '../plan/drift.js'
import type { PartSummary, ShardPart } from '../plan/shard-split.js'
import type { ChangedSelection, PreparedPlan } from '../run/prepare-plan.js'
import { formatDuration } from '../shared/duration.js'
import { formatTable } from '../shared/table.js'
import { plural } from '../shared/plural.js'

/** The N parts of `--shard` with their expected times; the chosen one marked `*`. */
export function formatParts(parts: readonly PartSummary[], chosen: ShardPart, prepared: PreparedPlan): string {
  const rows = parts.map((part) => [`${part.index}/${chosen.count}${part.index === chosen.index ? ' *' : ''}`, String(part.files), formatDuration(part.expectedMs)])
  const loads = parts.map((part) => part.expectedMs)
  const total = loads.reduce((sum, ms) => sum + ms, 0)
  const spread = total === 0 ? '' : `, largest part ${(Math.max(...loads) / (total / parts.length)).toFixed(2)}× the mean`
  return [
    formatTable(['part', 'files', 'expected'], rows),
    `${describeTimings(prepared)}${spread}`,
  ].join('\n')
}

/** `312 of 400 files have a recorded time; the others count as the median, 1.2s`. */
export function describeTimings(prepared: PreparedPlan): string {
  if (prepared.total === 0) return 'no files selected'
  if (prepared.timed === prepared.total) return `all ${prepared.total} (container, tier, file) items have a recorded time`
  return `${prepared.timed} of ${prepared.total} (container, tier, file) items have a recorded time; the others count as ${prepared.timed === 0 ? 'equal' : `the median, ${formatDuration(prepared.medianMs)}`}`
}

/** The stderr line of a sharded run: which part, how big, and the plan's hash. */
export function describePart(prepared: PreparedPlan, part: ShardPart): string {
  const mine = prepared.parts?.[part.index - 1]
  const shards = prepared.plan.shards.length
  return `part ${part.index}/${part.count}: ${plural(mine?.files ?? 0, 'file')} in ${plural(shards, 'shard')}, expected ${formatDuration(mine?.expectedMs ?? 0)}; plan ${prepared.record.hash.slice(0, 19)}`
}

/** `--changed HEAD: 2 changed file(s) select 3 of 10 test file(s)`, and the reason when one trigger selected all. */
export function describeChanged(changed: ChangedSelection, plannedFiles: number): string {
  const reasons = [...new Set(changed.reasons.values())]
  const [first] = reasons
  const why = reasons.length === 1 && first !== 'changed' && !first!.startsWith('imports ') ? ` (${first})` : ''
  return `--changed ${changed.ref}: ${plural(changed.files.length, 'changed file')} select ${changed.reasons.size} of ${plural(plannedFiles, 'test file')}${why}`
}

/** `xtest plan --drift`: files whose recorded time no longer fits their tier. */
export function formatDrift(entries: readonly DriftEntry[]): string {
  if (entries.length === 0) return 'no tier drift: every timed file fits its tier'
  const rows = entries.map((entry) => [
    entry.file, entry.container, entry.tier, formatDuration(entry.ms),
    entry.kind === 'over-budget'
      ? `over ${entry.tier}'s ${formatDuration(entry.limitMs)} per file: ${entry.to ? `tag it ${entry.to}` : 'split it'}`
      : `under ${formatDuration(entry.limitMs)}: could be ${entry.to}`,
  ])
  return formatTable(['file', 'container', 'tier', 'time', 'drift'], rows)
}
