import type { TimingSample } from '../plan/timings.js'
import { isTier } from '../core/tiers.js'
import { isCached, readJUnit, type JUnitReport, type ReportSuite } from '../report/index.js'
import { recordPartTimings, type SplitPart } from '../run/part-timings.js'
import { recordTimings } from '../run/timings-store.js'

const property = (suite: ReportSuite, name: string): string | undefined => suite.properties.find((each) => each.name === name)?.value


/**
 * Per (container, tier, file) durations of a merged report. Suites are `<container>/<tier>/<file>` (their
 * properties say the same); synthetic suites (`<container>/<tier>#<slice>`, files without a result) are left out.
 */
export function samplesFromReport(report: JUnitReport): TimingSample[] {
  const samples: TimingSample[] = []
  for (const suite of report.suites) {
    if (isCached(suite) || !(suite.time > 0) || !suite.cases.some((testCase) => !testCase.name.startsWith('[xtest] '))) continue
    const [nameContainer, nameTier, ...rest] = suite.name.split('/')
    const container = property(suite, 'container') ?? nameContainer
    const tier = property(suite, 'tier') ?? nameTier
    const file = suite.file ?? rest.join('/')
    if (!container || !isTier(tier) || !file || file.includes('#')) continue
    samples.push({ container, tier, file, ms: Math.round(suite.time * 1000) })
  }
  return samples
}

/**
 * Feeds a merged report's durations into the timings file. Never throws: timings are an optimisation, so a
 * problem costs a warning, never the run's exit code. Returns how many files were recorded.
 * A `--shard` part's samples wait until every part of its split has run (see part-timings.ts).
 */
export async function recordReportTimings(junitPath: string, timingsFile: string, warn: (line: string) => void, part?: SplitPart): Promise<number> {
  try {
    const read = await readJUnit(junitPath)
    if (!read.ok) { warn(`timings not recorded: ${junitPath}: ${read.message}`); return 0 }
    const samples = samplesFromReport(read.value.report)
    if (part === undefined) await recordTimings(timingsFile, samples, { warn })
    else if (!(await recordPartTimings(timingsFile, samples, part, warn))) return 0
    return samples.length
  } catch (error) {
    warn(`timings not recorded in ${timingsFile}: ${error instanceof Error ? error.message : String(error)}`)
    return 0
  }
}
