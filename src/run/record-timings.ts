// A merged report → timings.json: the durations of the report object the merge made (never the file read back).

import { isTier } from '../core/tiers.js'
import { isCached, type JUnitReport } from '../report/index.js'
import { propertyOf } from '../report/run-properties.js'
import { recordPartTimings, type SplitPart } from '../store/part-timings.js'
import type { TimingSample, Timings } from '../store/timings.js'
import { recordTimings } from '../store/timings.js'

/**
 * Per (container, tier, file) durations of a merged report. Suites are `<container>/<tier>/<file>` (their
 * properties say the same); synthetic suites (`<container>/<tier>#<slice>`, files without a result) are left out.
 */
function samplesFromReport(report: JUnitReport): TimingSample[] {
  const samples: TimingSample[] = []
  for (const suite of report.suites) {
    if (isCached(suite) || !(suite.time > 0) || !suite.cases.some((testCase) => !testCase.name.startsWith('[xtest] '))) continue
    const [nameContainer, nameTier, ...rest] = suite.name.split('/')
    const container = propertyOf(suite, 'container') ?? nameContainer
    const tier = propertyOf(suite, 'tier') ?? nameTier
    const file = suite.file ?? rest.join('/')
    if (!container || !isTier(tier) || !file || file.includes('#')) continue
    samples.push({ container, tier, file, ms: Math.round(suite.time * 1000) })
  }
  return samples
}

export interface RecordedTimings {
  /** How many files were recorded (0: none, or a `--shard` part waiting for the others). */
  recorded: number
  /** The timings as written, when this call wrote them for a whole run (a folded split is read back by the caller). */
  timings?: Timings
}

/**
 * Feeds a merged report's durations into the timings file. Takes the report object the merge made (the
 * merged file is never read back). Never throws: timings are an optimisation, so a problem costs a warning, never
 * the run's exit code. A `--shard` part's samples wait until every part of its split has run (see part-timings.ts).
 */
export async function recordReportTimings(
  report: JUnitReport,
  timingsFile: string,
  warn: (line: string) => void,
  part?: SplitPart,
): Promise<RecordedTimings> {
  try {
    const samples = samplesFromReport(report)
    if (part === undefined) {
      const timings = await recordTimings(timingsFile, samples, { warn })
      return timings ? { recorded: samples.length, timings } : { recorded: samples.length }
    }
    return { recorded: (await recordPartTimings(timingsFile, samples, part, warn)) ? samples.length : 0 }
  } catch (error) {
    warn(`timings not recorded in ${timingsFile}: ${error instanceof Error ? error.message : String(error)}`)
    return { recorded: 0 }
  }
}
