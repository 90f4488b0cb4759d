// The shards of a merged report, read back from its suite properties (what shard.json held: start, duration,
// status, cause, image), with their counts; and the timeline's layout: concurrency lanes, critical path, idle time.

import { addCounts, countSuite, emptyCounts } from '../core/junit-report.js'
import { isCached } from './cached-suites.js'
import { propertyOf } from './run-properties.js'
import type { Counts, ReportSuite } from './types.js'
import { whereRan } from './where-ran.js'

export interface HtmlShard {
  /** Unique per shard execution (the same id from two CI parts are two shards). */
  key: string
  id: string
  container: string
  tier: string
  /** The CI part (`I/N`) that ran it, when the report was merged from parts. */
  part?: string
  status: string
  cause?: string
  image?: string
  imageId?: string
  /** Where it ran: `docker node:20`, `local` (report/where-ran.ts). */
  ranOn?: string
  exitCode?: string
  /** Epoch ms; undefined when the report does not say (reports of other tools, or never started). */
  startMs?: number
  durationMs: number
  counts: Counts
  /** Timeline lane (0-based), for shards that ran. */
  lane?: number
  critical?: boolean
}

/** The shard a suite belongs to, as a key; suites of reports without xtest's properties have none. */
export function shardKeyOf(suite: ReportSuite): string | undefined {
  const id = propertyOf(suite, 'shard')
  // A suite from the result cache ran in another run: it is no shard of this one.
  if (id === undefined || isCached(suite)) return undefined
  return `${id}\u0000${propertyOf(suite, 'started_at') ?? propertyOf(suite, 'run_id') ?? ''}`
}

/** One entry per shard execution, in order of first appearance, with the counts of its suites. */
export function collectShards(suites: readonly ReportSuite[]): Map<string, HtmlShard> {
  const shards = new Map<string, HtmlShard>()
  for (const suite of suites) {
    const key = shardKeyOf(suite)
    if (key === undefined) continue
    let shard = shards.get(key)
    if (shard === undefined) {
      const start = Date.parse(propertyOf(suite, 'started_at') ?? '')
      const duration = Number(propertyOf(suite, 'duration_ms'))
      shard = {
        key,
        id: propertyOf(suite, 'shard')!,
        container: propertyOf(suite, 'container') ?? '-',
        tier: propertyOf(suite, 'tier') ?? '-',
        status: propertyOf(suite, 'status') ?? 'unknown',
        durationMs: Number.isFinite(duration) && duration > 0 ? duration : 0,
        counts: emptyCounts(),
      }
      for (const [field, name] of [
        ['part', 'part'],
        ['cause', 'cause'],
        ['image', 'image'],
        ['imageId', 'image_id'],
        ['exitCode', 'exit_code'],
      ] as const) {
        const value = propertyOf(suite, name)
        if (value !== undefined) shard[field] = value
      }
      const ranOn = whereRan(suite)
      if (ranOn !== undefined) shard.ranOn = ranOn
      // A shard that never started carries the epoch as its start: no bar for it.
      if (Number.isFinite(start) && start > 0 && shard.durationMs > 0) shard.startMs = start
      shards.set(key, shard)
    }
    addCounts(shard.counts, countSuite(suite))
  }
  return shards
}

export interface TimelineLayout {
  /** Shards that ran, each with its lane and critical flag, by start. */
  bars: HtmlShard[]
  lanes: number
  startMs: number
  wallMs: number
  /** The CI part of each lane when the shards came from several: each part ran on its own machine, in its own lanes. */
  laneParts?: string[]
  busyMs: number
  /** Lane time not used by any shard: lanes × wall − busy. */
  idleMs: number
}

// At most this gap between a shard's end and the next one's start still counts as one freeing the other's slot.
const TOUCH_MS = 1500

/**
 * Lanes: each shard goes to the first lane free at its start (as the scheduler filled its slots). The critical
 * path: from the shard that ended last, back through the shard whose end freed the slot it started in, to the
 * run's start; shortening any other shard would not have ended the run sooner.
 */
export function layoutTimeline(shards: Iterable<HtmlShard>): TimelineLayout | undefined {
  const bars = [...shards]
    .filter((shard) => shard.startMs !== undefined)
    .sort((a, b) => a.startMs! - b.startMs! || a.id.localeCompare(b.id))
  if (bars.length === 0) return undefined
  // Parts in their order (1/N, 2/N, …), each with lanes of its own: a part's slots are not another part's.
  const parts = [...new Set(bars.map((bar) => bar.part ?? ''))].sort((a, b) => partIndex(a) - partIndex(b) || a.localeCompare(b))
  const laneEnds: number[] = []
  const laneParts: string[] = []
  for (const part of parts) {
    const first = laneEnds.length
    for (const bar of bars.filter((each) => (each.part ?? '') === part)) {
      let lane = laneEnds.findIndex((end, index) => index >= first && end <= bar.startMs! + 1)
      if (lane === -1) lane = laneEnds.push(0) - 1
      laneEnds[lane] = bar.startMs! + bar.durationMs
      laneParts[lane] = part
      bar.lane = lane
    }
  }
  const startMs = bars[0]!.startMs!
  const end = (bar: HtmlShard) => bar.startMs! + bar.durationMs
  const endMs = Math.max(...bars.map(end))
  // The scheduler starts the next shard within milliseconds of a slot freeing; allow for a slow machine.
  const touch = Math.min(TOUCH_MS, Math.max(50, (endMs - startMs) * 0.02))
  let current = bars.reduce((last, bar) => (end(bar) > end(last) ? bar : last))
  for (;;) {
    current.critical = true
    const start = current.startMs!
    if (start - startMs <= touch) break
    const before = bars.filter((bar) => !bar.critical && bar.part === current.part && end(bar) <= start + touch)
    const freed = before.reduce<HtmlShard | undefined>((best, bar) => (best === undefined || end(bar) > end(best) ? bar : best), undefined)
    if (freed === undefined || start - end(freed) > touch) break
    current = freed
  }
  const wallMs = endMs - startMs
  const busyMs = bars.reduce((sum, bar) => sum + bar.durationMs, 0)
  return {
    bars,
    lanes: laneEnds.length,
    startMs,
    wallMs,
    busyMs,
    idleMs: Math.max(0, laneEnds.length * wallMs - busyMs),
    ...(parts.length > 1 || parts[0] !== '' ? { laneParts } : {}),
  }
}

const partIndex = (part: string): number => Number(/^(\d+)\//.exec(part)?.[1] ?? Number.MAX_SAFE_INTEGER)
