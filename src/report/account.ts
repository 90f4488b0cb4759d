// Accounting: which planned files of a shard have a result in its JUnit, and which do not.
import { posix } from 'node:path'
import type { JUnitReport, ReportSuite } from './types.js'

export interface Accounting {
  /** Planned file (relative to the config root) → the report suites that hold its results. */
  byFile: Map<string, ReportSuite[]>
  /** Suites that name no planned file of the shard (kept in the report, under their own name). */
  unplanned: ReportSuite[]
  /** Planned files with no suite at all, in plan order. */
  missing: string[]
}

const normalize = (path: string): string => path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '')

/**
 * The planned file a reported path means. Vitest names files relative to its root, which is the container's
 * working directory; the plan names them relative to the config root. Absolute paths match by unique suffix.
 */
export function resolvePlannedFile(reported: string | undefined, files: ReadonlySet<string>, workdir = ''): string | undefined {
  if (reported === undefined || reported === '') return undefined
  const path = normalize(reported)
  if (files.has(path)) return path
  const joined = posix.join(normalize(workdir) || '.', path)
  if (files.has(joined)) return joined
  const matches = [...files].filter((file) => path.endsWith(`/${file}`) || file.endsWith(`/${path}`))
  return matches.length === 1 ? matches[0] : undefined
}

/**
 * Assigns each suite of a shard's report to a planned file, by suite name, then `file` attribute, then the first
 * case's classname. A file counts as reported when it has a suite, even an empty one (every test in another tier).
 */
export function accountFiles(report: JUnitReport | undefined, plannedFiles: readonly string[], workdir = ''): Accounting {
  const files = new Set(plannedFiles)
  const byFile = new Map<string, ReportSuite[]>()
  const unplanned: ReportSuite[] = []
  for (const suite of report?.suites ?? []) {
    const file =
      resolvePlannedFile(suite.name, files, workdir) ??
      resolvePlannedFile(suite.file, files, workdir) ??
      resolvePlannedFile(suite.cases[0]?.classname, files, workdir)
    if (file === undefined) unplanned.push(suite)
    else byFile.set(file, [...(byFile.get(file) ?? []), suite])
  }
  const missing = plannedFiles.filter((file) => !byFile.has(file))
  return { byFile, unplanned, missing }
}
