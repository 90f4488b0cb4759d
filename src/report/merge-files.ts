// `xtest merge FILES... -o OUT`: merges JUnit reports made elsewhere (several CI machines) into one.
import { ConfigError } from '../shared/errors.js'
import { readJUnit } from './read-junit.js'
import { summarizeReport } from './summarize.js'
import { DEFAULT_LIMITS, type JUnitReport, type ReportLimits, type ReportProperty, type ReportSuite, type RunSummary } from './types.js'
import { writeJUnit } from './write-junit.js'

export interface MergeFilesOptions {
  limits?: Partial<ReportLimits>
  /** `testsuites@name` of the result. Default `xtest merge`. */
  name?: string
}

// Files read at once: the next file's bytes arrive while the current one is parsed.
const READ_AHEAD = 4

/** Maps with at most `limit` calls in flight; results in input order. */
async function mapInOrder<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) results[index] = await map(items[index]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

const caseKey = (suite: string, classname: string, name: string): string => `${suite}\u0000${classname}\u0000${name}`

const addProperties = (into: ReportProperty[], more: readonly ReportProperty[]): void => {
  for (const property of more) {
    if (!into.some((each) => each.name === property.name && each.value === property.value)) into.push(property)
  }
}

/**
 * Folds reports into one: same-name suites are joined, and each (suite, classname, name) is kept once across files.
 * A name that repeats inside one file (Vitest allows two tests with one name) is kept as often as that file has it.
 */
export function mergeReports(reports: ReadonlyArray<{ path: string; report: JUnitReport }>): { suites: ReportSuite[]; notes: string[] } {
  const suites = new Map<string, ReportSuite>()
  const kept = new Map<string, number>()
  const notes: string[] = []
  for (const { path, report } of reports) {
    const seen = new Map<string, number>()
    let dropped = 0
    for (const suite of report.suites) {
      let target = suites.get(suite.name)
      if (target === undefined) {
        target = { ...suite, properties: [...suite.properties], cases: [], time: 0 }
        suites.set(suite.name, target)
      }
      addProperties(target.properties, suite.properties)
      let added = 0
      for (const testCase of suite.cases) {
        const key = caseKey(suite.name, testCase.classname, testCase.name)
        const occurrence = (seen.get(key) ?? 0) + 1
        seen.set(key, occurrence)
        if (occurrence <= (kept.get(key) ?? 0)) {
          dropped++
          continue
        }
        kept.set(key, occurrence)
        target.cases.push(testCase)
        added++
      }
      // A suite seen before adds its time only when it brought new cases (a re-uploaded file adds none).
      if (added > 0 || suite.cases.length === 0) target.time += suite.time
    }
    if (dropped > 0) notes.push(`${path}: dropped ${dropped} testcase(s) already merged from an earlier file (same suite, classname and name)`)
  }
  return { suites: [...suites.values()], notes }
}

/**
 * Reads every file (all before writing anything), merges them and writes `outPath`.
 * @throws ConfigError (exit 2) naming the first file that is not usable JUnit.
 */
export async function mergeJUnitFiles(paths: readonly string[], outPath: string, options: MergeFilesOptions = {}): Promise<RunSummary> {
  if (paths.length === 0) throw new ConfigError('xtest merge: no input files', 'XTEST_MERGE_NO_INPUT')
  const limits: ReportLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const reports: Array<{ path: string; report: JUnitReport }> = []
  const notes: string[] = []
  const reads = await mapInOrder(paths, READ_AHEAD, (path) => readJUnit(path, limits))
  for (const [index, path] of paths.entries()) {
    const read = reads[index]!
    if (!read.ok) {
      throw new ConfigError(`${path}: not a usable JUnit report (${read.kind}): ${read.message}`, 'XTEST_MERGE_INPUT', {
        hint: 'xtest merge takes JUnit XML files whose root is <testsuites> or <testsuite>',
      })
    }
    reports.push({ path, report: read.report })
    notes.push(...read.notes.map((note) => `${path}: ${note}`))
  }
  const merged = mergeReports(reports)
  const report: JUnitReport = { name: options.name ?? 'xtest merge', suites: merged.suites }
  await writeJUnit(report, outPath)
  return summarizeReport(report, { outPath, notes: [...notes, ...merged.notes] })
}
