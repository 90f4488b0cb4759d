// `xtest run --failed`: which (container, tier, file) cells of an earlier report failed, and which tests in them.
// The report is untrusted data (it may come from N CI machines): names are only ever matched as literal text, and
// the caller re-runs a cell only when the current plan has it. Unverified (salvaged) files count as failed.
import path from 'node:path'
import { UsageError } from '../core/errors.js'
import { sanitizeText } from '../core/xml-text.js'
import type { FailedCell, FailedReport, FailedSelection } from '../plan/failed.js'
import { readJUnit } from './read-junit.js'
import { propertyOf } from './run-properties.js'
import { isSalvaged } from './salvaged-suites.js'
import { synthesizeNotRerun } from './synthesize.js'
import { DEFAULT_LIMITS, type JUnitReport, type ReportCase, type ReportSuite } from './types.js'

const isFailing = (result: string): boolean => result === 'failed' || result === 'error'

/** The failing cells of a report, in report order. */
export function failedCells(report: JUnitReport): FailedSelection {
  const cells = new Map<string, FailedCell>()
  const wholeShards = new Map<string, { container: string; tier: string; suites: string[] }>()
  const filesOf = new Map<string, Set<string>>()
  for (const suite of report.suites) {
    const [nameContainer, nameTier] = suite.name.split('/')
    const container = propertyOf(suite, 'container') ?? nameContainer ?? ''
    const tier = propertyOf(suite, 'tier') ?? nameTier ?? ''
    const shardKey = `${container}\u0000${tier}`
    if (suite.file !== undefined) filesOf.set(shardKey, (filesOf.get(shardKey) ?? new Set()).add(suite.file))
    const failing = suite.cases.filter((testCase) => isFailing(testCase.result))
    const salvaged = suite.file !== undefined && isSalvaged(suite)
    if (failing.length === 0 && !salvaged) continue
    if (suite.file === undefined) {
      // Unhandled errors, or the shard's own case (it crashed, timed out, exited with a failure code though every
      // reported test passed): none names a test, so every file of that shard runs again.
      const shard = wholeShards.get(shardKey) ?? { container, tier, suites: [] }
      wholeShards.set(shardKey, { ...shard, suites: [...shard.suites, suite.name] })
      continue
    }
    const key = `${shardKey}\u0000${suite.file}`
    let cell = cells.get(key)
    if (cell === undefined) cells.set(key, (cell = { container, tier, file: suite.file, names: [], wholeFile: false }))
    // The crashed shard's own word: its passes are unverified, so the whole file runs again.
    if (salvaged) cell.wholeFile = true
    for (const testCase of failing) {
      if (testCase.name.startsWith('[xtest] ') || testCase.name === suite.file || testCase.name === testCase.classname)
        cell.wholeFile = true
      else if (!cell.names.includes(testCase.name)) cell.names.push(testCase.name)
    }
  }
  const orphans: FailedSelection['orphans'] = []
  for (const [shardKey, { container, tier, suites }] of wholeShards) {
    const files = filesOf.get(shardKey) ?? new Set()
    if (files.size === 0) orphans.push(...suites.map((suite) => ({ container, tier, suite })))
    for (const file of files) {
      const key = `${shardKey}\u0000${file}`
      const cell = cells.get(key) ?? { container, tier, file, names: [], wholeFile: true }
      cell.wholeFile = true
      cells.set(key, cell)
    }
  }
  for (const cell of cells.values()) if (cell.wholeFile) cell.names = []
  return {
    cells: [...cells.values()],
    wholeShards: [...wholeShards.values()].map(({ container, tier }) => ({ container, tier })),
    orphans,
  }
}

/** The earlier run(s) a report holds: its `xtest run <id>`, else the run ids of its suites (a merge of CI parts). */
export function runsOfReport(report: JUnitReport, max = 8): string[] {
  const safe = (id: string | undefined): id is string => id !== undefined && /^[\w.:-]{1,80}$/.test(id)
  const named = /^xtest run (\S+)$/.exec(report.name ?? '')?.[1]
  if (safe(named)) return [named]
  const ids = new Set<string>()
  for (const suite of report.suites) {
    const id = propertyOf(suite, 'run_id')
    if (safe(id)) ids.add(id)
    if (ids.size > max) break
  }
  return [...ids].sort().slice(0, max)
}

/**
 * After a `--failed` re-run: each failing test it aimed at by name must have run (passed or failed, not skipped) in
 * its file's suite; one renamed, removed or skipped since did not run, so an `[xtest] not_rerun` error says so.
 */
export function checkRerun(
  suites: readonly ReportSuite[],
  aimed: ReadonlyArray<{ suite: string; names: readonly string[] }>,
  source: string,
): ReportSuite[] {
  const byName = new Map(aimed.map((each) => [each.suite, each.names]))
  return suites.map((suite) => {
    const names = byName.get(suite.name)
    if (names === undefined) return suite
    const ran = new Set(suite.cases.filter((testCase) => testCase.result !== 'skipped').map((testCase) => testCase.name))
    const missing = [...new Set(names)].filter((name) => !ran.has(name))
    if (missing.length === 0) return suite
    const listed =
      missing
        .slice(0, 3)
        .map((name) => `"${name}"`)
        .join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more` : '')
    const message = `${missing.length} test(s) that failed in ${source} did not run in this re-run (renamed, removed or skipped since?): ${listed}`
    const notRun: ReportCase = {
      classname: suite.name,
      name: '[xtest] not_rerun',
      time: 0,
      result: 'error',
      fault: { type: 'xtest.not_rerun', message: sanitizeText(message, 4096), body: sanitizeText(missing.join('\n'), 64 * 1024) },
      properties: [],
    }
    return { ...suite, cases: [...suite.cases, notRun] }
  })
}

/** The --failed report read (plan/failed.ts places its cells). A report that cannot be read is exit 2. */
export async function readFailedReport(source: string): Promise<FailedReport> {
  const read = await readJUnit(source)
  const shown = path.relative(process.cwd(), source) || source
  if (!read.ok) {
    const why =
      read.kind === 'missing'
        ? 'no such report (run xtest run first, or name a report)'
        : `not a usable JUnit report (${read.kind}): ${read.message}`
    throw new UsageError(`--failed ${shown}: ${why}`, 'XTEST_FAILED_REPORT')
  }
  return {
    selection: failedCells(read.value.report),
    completes: runsOfReport(read.value.report).join(',') || path.basename(source),
    carry: (unplaced) => unplaced.map((each) => synthesizeNotRerun({ ...each, source: shown, maxTextBytes: DEFAULT_LIMITS.maxTextBytes })),
  }
}
