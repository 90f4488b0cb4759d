// The data behind the end-of-run summary, read off the merged report (so `xtest run` and `xtest merge` agree).

import { emptyCounts } from '../core/junit-report.js'
import type { ShardStatus } from '../core/shard.js'
import { SHARD_STATUSES } from '../core/shard.js'
import { countCached, isCached } from './cached-suites.js'
import { failureExcerpt } from './failure-excerpt.js'
import { FailureGrouper, isFileStandIn, isXtestFailure } from './failure-groups.js'
import { propertyOf } from './run-properties.js'
import { addApart, countApart, countReportApart } from './salvaged-suites.js'
import { firstLines } from './sanitize.js'
import { collectShards, layoutTimeline, shardKeyOf } from './timeline.js'
import type { FailureInfo, FileTime, JUnitReport, ReportSuite, RunSummary, ShardSummary, SummaryRow } from './types.js'
import { addLabel, fallbackOf, type HostFallback, whereRan } from './where-ran.js'

export interface SummarizeInput {
  outPath: string
  shards?: readonly ShardSummary[]
  notes?: readonly string[]
  interrupted?: boolean
  /** How many of the slowest files to keep. Default 10. */
  slowest?: number
}

const isStatus = (value: string | undefined): value is ShardStatus => SHARD_STATUSES.includes(value as ShardStatus)

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The line a stack trace gives for `file` (or for a shorter suffix of it, as Vitest prints paths from its root). */
export function findLine(file: string, trace: string): number | undefined {
  const segments = file.split('/')
  for (let start = 0; start < segments.length; start++) {
    const suffix = segments.slice(start).join('/')
    const match = new RegExp(`(?:^|[\\s(/\\\\])${escapeRegExp(suffix)}:(\\d+)`, 'm').exec(trace)
    if (match?.[1] !== undefined) return Number(match[1])
  }
  return undefined
}

function collectFailures(
  suite: ReportSuite,
  container: string,
  tier: string,
  failures: FailureInfo[],
  groups: FailureGrouper,
  quarantined: FailureInfo[],
): void {
  for (const testCase of suite.cases) {
    if (testCase.result !== 'failed' && testCase.result !== 'error') continue
    if (isFileStandIn(suite, testCase)) {
      groups.add(suite, testCase, container, tier)
      continue
    }
    const fault = testCase.fault ?? { message: '', type: '', body: '' }
    const info: FailureInfo = {
      container,
      tier,
      suite: suite.name,
      classname: testCase.classname,
      name: testCase.name,
      result: testCase.result,
      type: fault.type,
      message: firstLines(fault.message, 1, 500),
      excerpt: failureExcerpt(fault.body || fault.message),
    }
    if (testCase.flaky) info.flaky = true
    if (suite.file !== undefined) {
      info.file = suite.file
      const line = findLine(suite.file, fault.body)
      if (line !== undefined) info.line = line
    }
    if (testCase.quarantined === undefined) failures.push(info)
    else quarantined.push({ ...info, quarantine: testCase.quarantined })
  }
}

/** Rows (container × tier), totals, failures and the slowest files of a merged report. */
export function summarizeReport(report: JUnitReport, input: SummarizeInput): RunSummary {
  const rows = new Map<string, SummaryRow & { shardIds: Set<string> }>()
  const row = (container: string, tier: string) => {
    const key = `${container}\u0000${tier}`
    let found = rows.get(key)
    if (found === undefined) rows.set(key, (found = { container, tier, statuses: [], counts: emptyCounts(), shardIds: new Set() }))
    return found
  }
  // Once per shard: its status, and its run time when known.
  const addShard = (target: ReturnType<typeof row>, shardId: string | undefined, status: ShardStatus, durationMs: number | undefined) => {
    if (shardId !== undefined && target.shardIds.has(shardId)) return
    if (shardId !== undefined) target.shardIds.add(shardId)
    if (!target.statuses.includes(status)) target.statuses.push(status)
    if (durationMs !== undefined && Number.isFinite(durationMs)) target.shardMs = (target.shardMs ?? 0) + durationMs
  }
  const failures: FailureInfo[] = []
  const quarantined: FailureInfo[] = []
  const groups = new FailureGrouper()
  const files: FileTime[] = []
  const fallbacks = new Map<string, HostFallback>()
  for (const suite of report.suites) {
    const container = propertyOf(suite, 'container') ?? '-'
    const tier = propertyOf(suite, 'tier') ?? '-'
    const target = row(container, tier)
    addApart(target.counts, countApart(suite))
    if (!isCached(suite)) {
      addLabel((target.ranOn ??= []), whereRan(suite))
      const fallback = fallbackOf(suite, container)
      if (fallback !== undefined && !fallbacks.has(container)) fallbacks.set(container, fallback)
    }
    const status = propertyOf(suite, 'status')
    const durationMs = propertyOf(suite, 'duration_ms')
    if (isCached(suite)) target.cached = (target.cached ?? 0) + suite.cases.length
    else if (isStatus(status)) addShard(target, shardKeyOf(suite), status, durationMs === undefined ? undefined : Number(durationMs))
    const before = quarantined.length
    collectFailures(suite, container, tier, failures, groups, quarantined)
    if (quarantined.length > before) target.quarantined = (target.quarantined ?? 0) + quarantined.length - before
    if (suite.cases.length > 0 && suite.time > 0) files.push({ container, tier, file: suite.file ?? suite.name, time: suite.time })
  }
  // A run's own shards, keyed as their suites are (one run: one start per shard id).
  const keyOfId = new Map(report.suites.map((suite) => [propertyOf(suite, 'shard'), shardKeyOf(suite)]))
  for (const shard of input.shards ?? []) {
    addShard(row(shard.container, shard.tier), keyOfId.get(shard.id) ?? shard.id, shard.status, shard.durationMs)
  }
  // Each shard execution once, also the same shard id from two CI parts (`--shard 1/2` and `2/2` both run amp.fast).
  const executions = collectShards(report.suites)
  const timeline = layoutTimeline(executions.values())
  const cached = countCached(report.suites)
  files.sort((a, b) => b.time - a.time)
  // The tests' own failures first; xtest's (a shard that crashed, timed out, a failure not re-run) after them.
  failures.sort((a, b) => Number(isXtestFailure(a)) - Number(isXtestFailure(b)))
  return {
    outPath: input.outPath,
    shards: [...(input.shards ?? [])],
    rows: [...rows.values()].map(({ shardIds: _ids, ranOn, ...rest }) => ({ ...rest, ...(ranOn?.length && { ranOn }) })),
    totals: countReportApart(report.suites),
    slowestFiles: files.slice(0, input.slowest ?? 10),
    failures,
    failureGroups: groups.result(),
    notes: [...(input.notes ?? [])],
    interrupted: input.interrupted ?? false,
    ...(timeline ? { wallMs: timeline.wallMs, timeline } : {}),
    shardCount: executions.size,
    ...(quarantined.length > 0 && { quarantined }),
    ...(cached.files > 0 && { cached }),
    ...(fallbacks.size > 0 && { hostFallbacks: [...fallbacks.values()] }),
  }
}
