// What `xtest run` adds to its merged report and does after it: the plan hash and part on every suite (so that
// `xtest merge` can check the parts), the run a `--failed` re-run completes, the quarantine, and the flaky history.
import type { ResolvedConfig } from '../config/resolve.js'
import {
  COMPLETES,
  PART,
  PLAN_HASH,
  type JUnitReport,
  type MergeRunOptions,
  type ReportExtras,
  type ReportProperty,
  type ReportSuite,
  type RunSummary,
} from '../report/index.js'
import type { SplitPart } from '../store/part-timings.js'
import { timingsPathOf } from '../store/timings.js'
import { recordHistory } from './history-hook.js'
import { quarantineOf, unmatchedQuarantine } from './quarantine-check.js'

export interface RunExtras {
  report: ReportExtras
  /** A `--shard` part: its timings wait for the other parts of its split. */
  part?: SplitPart
  /** A `--failed` re-run records no timings (only some tests of each file ran). */
  recordTimings: boolean
  /** A `--failed` re-run's failures it could not re-run: in its report, so that it stays red. */
  carried?: readonly ReportSuite[]
  /** A `--failed` re-run's tests aimed at by name: each must have run again (report/failed-cells.ts checkRerun). */
  aimed?: MergeRunOptions['aimed']
  /** After the merge, before the summary is printed: history, flaky tests, quarantine warnings. */
  after(summary: RunSummary): Promise<void>
}

export function runExtras(input: {
  config: ResolvedConfig
  planHash: string
  part?: { index: number; count: number }
  completes?: string
  carried?: readonly ReportSuite[]
  aimed?: MergeRunOptions['aimed']
  warn(line: string): void
}): RunExtras {
  const { config, warn } = input
  const properties: ReportProperty[] = [{ name: PLAN_HASH, value: input.planHash }]
  if (input.part) properties.push({ name: PART, value: `${input.part.index}/${input.part.count}` })
  if (input.completes) properties.push({ name: COMPLETES, value: input.completes })
  let report: JUnitReport | undefined
  let matched: ReadonlySet<number> = new Set()
  const extras: RunExtras = {
    report: {
      properties,
      quarantine: quarantineOf(config),
      onReport: (merged) => {
        report = merged
      },
      onQuarantine: (found) => {
        matched = found
      },
    },
    recordTimings: input.completes === undefined,
    after: async (summary) => {
      if (report === undefined) return
      for (const line of unmatchedQuarantine(config, report, matched)) warn(line)
      const flaky = await recordHistory(report, timingsPathOf(config), warn)
      if (flaky.length > 0) summary.flaky = flaky
    },
  }
  if (input.part) extras.part = { planHash: input.planHash, ...input.part }
  if (input.carried?.length) extras.carried = input.carried
  if (input.aimed?.cells.length) extras.aimed = input.aimed
  return extras
}
