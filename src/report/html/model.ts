// Everything the HTML report shows, computed once from the merged report: matrix, shards and timeline, grouped
// failures and skips, flaky tests, and the compact data the page's script lists all testcases from.

import { emptyCounts } from '../../core/junit-report.js'
import type { ResultCell } from '../../core/result-key.js'
import { TIERS } from '../../core/tiers.js'
import type { DriftEntry } from '../../plan/drift.js'
import { isCached } from '../cached-suites.js'
import { propertyOf } from '../run-properties.js'
import { addApart, countApart, countReportApart } from '../salvaged-suites.js'
import { collectShards, type HtmlShard, layoutTimeline, type TimelineLayout } from '../timeline.js'
import type { FileTime, JUnitReport, RunSummary, Totals } from '../types.js'
import { addLabel, whereRan } from '../where-ran.js'
import { type Group, groupFailures, groupSkips, type HtmlFailure, type SkipGroup, toFailure } from './groups.js'
import type { SourceExcerpt } from './source-excerpt.js'

export interface HtmlReportInput {
  /** The merged report exactly as written to `junitPath`. */
  report: JUnitReport
  summary: RunSummary
  title: string
  junitPath: string
  generatedAt?: Date
  /** Tier drift suggestions (a run knows its plan and timings; `xtest merge` does not). */
  drift?: readonly DriftEntry[]
  /** The last lines of each shard's output.log, by shard id (only a run's own, host-written logs). */
  logTails?: ReadonlyMap<string, string>
  /** The lines around each failing line, by `file:line` (html/source-excerpt.ts). */
  sources?: ReadonlyMap<string, SourceExcerpt>
}

interface MatrixCell {
  counts: Totals
  statuses: string[]
  ms: number
  /** Where its shards ran (report/where-ran.ts). */
  ranOn: string[]
}

/** A testcase of this run that passed on a retry (FlakyTest is one whose history mixes passes and failures). */
interface FlakyCase extends ResultCell {
  name: string
}

/** Result codes in the embedded case list. */
const RESULT_CODES = { passed: 0, failed: 1, error: 2, skipped: 3, flaky: 4 } as const

/** The testcases as flat arrays: compact enough for 100,000 cases in a few MB. */
interface EmbeddedData {
  containers: string[]
  tiers: string[]
  files: string[]
  /** Per suite: file index, container index, tier index. */
  suites: number[]
  /** `describe > describe` prefixes of test names. */
  prefixes: string[]
  /** Per case: suite index, result code, ms, prefix index, the name's last part. */
  cases: Array<number | string>
  shards: Array<Record<string, unknown>>
}

export interface HtmlModel {
  input: HtmlReportInput
  totals: Totals
  flakyCount: number
  containers: string[]
  tiers: string[]
  cells: Map<string, MatrixCell>
  shards: HtmlShard[]
  timeline?: TimelineLayout
  failureCount: number
  /** Of `failureCount`, xtest's own cases (not tests). */
  xtestFailureCount: number
  failureGroups: Group<HtmlFailure>[]
  skipGroups: SkipGroup[]
  flaky: FlakyCase[]
  slowest: FileTime[]
  data: EmbeddedData
}

export const cellKey = (container: string, tier: string): string => `${container}\u0000${tier}`

class Index {
  readonly values: string[] = []
  private readonly map = new Map<string, number>()
  of(value: string): number {
    let index = this.map.get(value)
    if (index === undefined) this.map.set(value, (index = this.values.push(value) - 1))
    return index
  }
}

const tierOrder = (tier: string): number => {
  const rank = (TIERS as readonly string[]).indexOf(tier)
  return rank === -1 ? TIERS.length : rank
}

export function buildHtmlModel(input: HtmlReportInput): HtmlModel {
  const { suites } = input.report
  const containers = new Index()
  const tiers = new Index()
  const files = new Index()
  const prefixes = new Index()
  prefixes.of('')
  const cells = new Map<string, MatrixCell>()
  const suiteData: number[] = []
  const cases: Array<number | string> = []
  const failures: HtmlFailure[] = []
  const flaky: FlakyCase[] = []
  const shards = collectShards(suites)
  for (const [index, suite] of suites.entries()) {
    const container = propertyOf(suite, 'container') ?? '-'
    const tier = propertyOf(suite, 'tier') ?? '-'
    const file = suite.file ?? suite.name
    suiteData.push(files.of(file), containers.of(container), tiers.of(tier))
    const key = cellKey(container, tier)
    let cell = cells.get(key)
    if (cell === undefined) cells.set(key, (cell = { counts: emptyCounts(), statuses: [], ms: 0, ranOn: [] }))
    addApart(cell.counts, countApart(suite))
    if (!isCached(suite)) addLabel(cell.ranOn, whereRan(suite))
    for (const testCase of suite.cases) {
      const result = testCase.flaky ? RESULT_CODES.flaky : RESULT_CODES[testCase.result]
      const cut = testCase.name.lastIndexOf(' > ')
      const prefix = cut === -1 ? 0 : prefixes.of(testCase.name.slice(0, cut))
      cases.push(index, result, Math.round(testCase.time * 1000), prefix, cut === -1 ? testCase.name : testCase.name.slice(cut + 3))
      if (testCase.result === 'failed' || testCase.result === 'error') failures.push(toFailure(suite, testCase))
      if (testCase.flaky) flaky.push({ container, tier, file, name: testCase.name })
    }
  }
  for (const shard of shards.values()) {
    const cell = cells.get(cellKey(shard.container, shard.tier))
    if (cell === undefined) continue
    if (!cell.statuses.includes(shard.status)) cell.statuses.push(shard.status)
    cell.ms += shard.durationMs
  }
  // Cells of reports without shard times show the time their tests report.
  for (const cell of cells.values()) if (cell.ms === 0) cell.ms = Math.round(cell.counts.time * 1000)
  const timeline = layoutTimeline(shards.values())
  const shardList = [...shards.values()]
  const data: EmbeddedData = {
    containers: containers.values,
    tiers: tiers.values,
    files: files.values,
    suites: suiteData,
    prefixes: prefixes.values,
    cases,
    shards: shardList.map((shard) => ({
      id: shard.id,
      container: shard.container,
      tier: shard.tier,
      part: shard.part,
      status: shard.status,
      cause: shard.cause,
      ranOn: shard.ranOn,
      image: shard.image,
      imageId: shard.imageId,
      exitCode: shard.exitCode,
      durationMs: shard.durationMs,
      lane: shard.lane,
      critical: shard.critical ?? false,
      counts: [shard.counts.tests, shard.counts.passed, shard.counts.failed, shard.counts.errors, shard.counts.skipped],
    })),
  }
  return {
    input,
    totals: countReportApart(suites),
    flakyCount: flaky.length,
    containers: [...containers.values],
    tiers: [...tiers.values].sort((a, b) => tierOrder(a) - tierOrder(b)),
    cells,
    shards: shardList,
    ...(timeline ? { timeline } : {}),
    failureCount: failures.length,
    xtestFailureCount: failures.filter((failure) => failure.synthetic !== undefined || failure.name.startsWith('[xtest] ')).length,
    failureGroups: groupFailures(failures),
    skipGroups: groupSkips(suites),
    flaky,
    slowest: input.summary.slowestFiles,
    data,
  }
}
