// `xtest merge FILES... -o OUT`: merges JUnit reports made elsewhere (several CI machines) into one.
import { ConfigError } from '../core/errors.js'
import { mapInPool } from '../core/pool.js'
import { finishReport, type Merged, type ReportExtras } from './finish-report.js'
import { keepWorst } from './keep-worst.js'
import { checkParts, dropMisplaced, type MergePlan, noteMisplaced, type PartReport, synthesizeMissingParts } from './merge-plan.js'
import { findMixedParts, mixedPartsSuite } from './mixed-parts.js'
import { readJUnit } from './read-junit.js'
import { summarizeReport } from './summarize.js'
import { DEFAULT_LIMITS, type JUnitReport, type ReportLimits, type ReportSuite } from './types.js'
import { writeJUnit } from './write-junit.js'

export interface MergeFilesOptions extends ReportExtras {
  limits?: Partial<ReportLimits>
  /** `testsuites@name` of the result. Default `xtest merge`. */
  name?: string
  /** `--plan`: the plan the parts were cut from; every planned file must be reported. */
  plan?: MergePlan
  /** Without `--plan`: finds the plan of the hash the parts carry (a run folder's plan.json), if it is here. */
  findPlan?(hash: string): MergePlan | undefined
  /** `--allow-mixed`: parts from different images or Vitest majors are only noted, not a failure. */
  allowMixed?: boolean
}

// Files read at once: the next file's bytes arrive while the current one is parsed.
const READ_AHEAD = 4

/** The run a report comes from: `xtest run <id>` (its root's name), else the one `run_id` all its suites share. */
function runOfReport(report: JUnitReport): string | undefined {
  const named = /^xtest run (\S+)$/.exec(report.name ?? '')?.[1]
  if (named !== undefined) return named
  const ids = new Set(report.suites.map((suite) => suite.properties.find((each) => each.name === 'run_id')?.value))
  const [only] = ids
  return ids.size === 1 && only ? only : undefined
}

/**
 * Folds reports into one: same-name suites are joined, and of the copies of one (suite, classname, name) across files
 * the worst is kept (see keepWorst). A name that repeats inside one file is kept as often as that file has it.
 */
export function mergeReports(reports: ReadonlyArray<{ path: string; report: JUnitReport }>): { suites: ReportSuite[]; notes: string[] } {
  return keepWorst(
    reports.map(({ path, report }) => {
      const run = runOfReport(report)
      return run === undefined ? { label: path, suites: report.suites } : { label: path, suites: report.suites, run }
    }),
  )
}

/**
 * Parts → one report: checked against the plan (given, or found by the hash the parts carry), merged worst-first,
 * with a synthetic error for every planned file no part reported. Writes nothing.
 * @throws ConfigError (exit 2) when the parts come from different plans or splits.
 */
export function mergeParts(
  reports: readonly PartReport[],
  options: MergeFilesOptions = {},
): { report: JUnitReport; notes: string[]; quarantined: ReadonlySet<number> } {
  const checked = checkParts(reports, options.plan)
  const notes = [...checked.notes]
  const plan = options.plan ?? (checked.planHash === undefined ? undefined : options.findPlan?.(checked.planHash))
  if (plan === undefined && checked.planHash !== undefined) {
    notes.push(
      `the parts carry plan ${checked.planHash.slice(0, 19)}, but its plan.json was not found: pass --plan to check that no part is missing`,
    )
  }
  // With the plan known, a part's suite for a file another part owns does not count (its owner stays missing).
  const owned = plan === undefined ? undefined : dropMisplaced(reports, plan, checked.count)
  const merged = mergeReports(owned?.parts ?? reports)
  notes.push(...merged.notes)
  const mixed = findMixedParts(reports)
  notes.push(...mixed)
  let suites = mixed.length > 0 && !options.allowMixed ? [...merged.suites, mixedPartsSuite(mixed)] : merged.suites
  if (plan !== undefined) {
    const limits: ReportLimits = { ...DEFAULT_LIMITS, ...options.limits }
    const missing = synthesizeMissingParts(suites, plan, checked.count, checked.present, limits.maxTextBytes)
    const said = noteMisplaced([...suites, ...missing.suites], owned!.misplaced, plan, checked.count)
    suites = said.suites
    notes.push(...said.notes, ...missing.notes)
  }
  // Part properties come from the parts themselves: kept as they are (finishReport only adds the quarantine).
  const finished = finishReport(suites, { ...options, properties: undefined }, notes, true)
  return { report: { name: options.name ?? 'xtest merge', suites: finished.suites }, notes, quarantined: finished.quarantined }
}

/**
 * Reads every file (all before writing anything), merges them, writes `outPath` and returns what it made.
 * @throws ConfigError (exit 2) naming the first file that is not usable JUnit.
 */
export async function mergeJUnitFiles(paths: readonly string[], outPath: string, options: MergeFilesOptions = {}): Promise<Merged> {
  if (paths.length === 0 && options.plan === undefined) throw new ConfigError('xtest merge: no input files', 'XTEST_MERGE_NO_INPUT')
  const limits: ReportLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const reports: Array<{ path: string; report: JUnitReport }> = []
  const notes: string[] = []
  const reads = await mapInPool(paths, READ_AHEAD, (path) => readJUnit(path, limits))
  for (const [index, path] of paths.entries()) {
    const read = reads[index]!
    if (!read.ok) {
      throw new ConfigError(`${path}: not a usable JUnit report (${read.kind}): ${read.message}`, 'XTEST_MERGE_INPUT', {
        hint: 'xtest merge takes JUnit XML files whose root is <testsuites> or <testsuite>',
      })
    }
    reports.push({ path, report: read.value.report })
    notes.push(...read.value.notes.map((note) => `${path}: ${note}`))
  }
  const merged = mergeParts(reports, options)
  await writeJUnit(merged.report, outPath)
  const summary = summarizeReport(merged.report, { outPath, notes: [...notes, ...merged.notes] })
  return { report: merged.report, summary, quarantined: merged.quarantined }
}
