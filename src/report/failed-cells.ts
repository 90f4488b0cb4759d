// `xtest run --failed`: which (container, tier, file) cells of an earlier report failed, and which tests in them.
// The report is untrusted data (it may come from N CI machines): names are only ever matched as literal text, and
// the caller re-runs a cell only when the current plan has it.
import { propertyOf } from './run-properties.js'
import type { JUnitReport } from './types.js'

export interface FailedCell {
  container: string
  tier: string
  file: string
  /** Failing test names (full names, ` > `-joined); empty with `wholeFile`. */
  names: string[]
  /** A failure the name filter cannot aim at (the file failed to load, a stand-in for a crashed shard): run it all. */
  wholeFile: boolean
}

export interface FailedSelection {
  cells: FailedCell[]
  /** (container, tier) pairs with a failure tied to no file (unhandled errors): every reported file of it re-runs. */
  wholeShards: Array<{ container: string; tier: string }>
}

const isFailing = (result: string): boolean => result === 'failed' || result === 'error'

/** The failing cells of a report, in report order. */
export function failedCells(report: JUnitReport): FailedSelection {
  const cells = new Map<string, FailedCell>()
  const wholeShards = new Map<string, { container: string; tier: string }>()
  const filesOf = new Map<string, Set<string>>()
  for (const suite of report.suites) {
    const [nameContainer, nameTier] = suite.name.split('/')
    const container = propertyOf(suite, 'container') ?? nameContainer ?? ''
    const tier = propertyOf(suite, 'tier') ?? nameTier ?? ''
    const shardKey = `${container}\u0000${tier}`
    if (suite.file !== undefined) filesOf.set(shardKey, (filesOf.get(shardKey) ?? new Set()).add(suite.file))
    const failing = suite.cases.filter((testCase) => isFailing(testCase.result))
    if (failing.length === 0) continue
    if (suite.file === undefined) {
      // A shard's own stand-in is repeated on each of its files; anything else (unhandled errors) names no file.
      if (!failing.every((testCase) => testCase.name.startsWith('[xtest] '))) wholeShards.set(shardKey, { container, tier })
      continue
    }
    const key = `${shardKey}\u0000${suite.file}`
    let cell = cells.get(key)
    if (cell === undefined) cells.set(key, (cell = { container, tier, file: suite.file, names: [], wholeFile: false }))
    for (const testCase of failing) {
      if (testCase.name.startsWith('[xtest] ') || testCase.name === suite.file || testCase.name === testCase.classname)
        cell.wholeFile = true
      else if (!cell.names.includes(testCase.name)) cell.names.push(testCase.name)
    }
  }
  for (const [shardKey, shard] of wholeShards) {
    for (const file of filesOf.get(shardKey) ?? []) {
      const key = `${shardKey}\u0000${file}`
      const cell = cells.get(key) ?? { ...shard, file, names: [], wholeFile: true }
      cell.wholeFile = true
      cells.set(key, cell)
    }
  }
  for (const cell of cells.values()) if (cell.wholeFile) cell.names = []
  return { cells: [...cells.values()], wholeShards: [...wholeShards.values()] }
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
