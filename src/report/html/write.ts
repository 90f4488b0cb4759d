// Writes report.html for a merged report from the report in memory (the merged file is never read back: it may be a
// pipe or a device; its totals are the same object's), as every report path is written (shared/write-output.ts).
import type { DriftEntry } from '../../plan/drift.js'
import { writeOutput } from '../../shared/write-output.js'
import { findLine } from '../summarize.js'
import type { JUnitReport, RunSummary } from '../types.js'
import { renderHtmlReport } from './render.js'
import { readSourceExcerpt, type SourceExcerpt, sourceKey } from './source-excerpt.js'

export interface WriteHtmlOptions {
  /** The merged JUnit file the page links to. */
  junitPath: string
  report: JUnitReport
  summary: RunSummary
  title: string
  drift?: readonly DriftEntry[]
  logTails?: ReadonlyMap<string, string>
  /** The config root on this host: the lines around each failing line are read from there (nothing outside it). */
  sourceRoot?: string
}

// Excerpts read for one page: the first failures shown, each file:line once.
const MAX_SOURCES = 300

async function readSources(report: JUnitReport, root: string): Promise<Map<string, SourceExcerpt>> {
  const sources = new Map<string, SourceExcerpt>()
  for (const suite of report.suites) {
    if (suite.file === undefined) continue
    for (const testCase of suite.cases) {
      if (sources.size >= MAX_SOURCES) return sources
      if ((testCase.result !== 'failed' && testCase.result !== 'error') || testCase.fault === undefined) continue
      const line = findLine(suite.file, testCase.fault.body)
      if (line === undefined || sources.has(sourceKey(suite.file, line))) continue
      const excerpt = await readSourceExcerpt(root, suite.file, line)
      if (excerpt !== undefined) sources.set(sourceKey(suite.file, line), excerpt)
    }
  }
  return sources
}

/** Renders the page into each of `targets` (e.g. the run folder's and `.xtest/report.html`). */
export async function writeHtmlReport(targets: readonly string[], options: WriteHtmlOptions): Promise<void> {
  const sources = options.sourceRoot === undefined ? undefined : await readSources(options.report, options.sourceRoot)
  const html = renderHtmlReport({
    report: options.report,
    summary: options.summary,
    title: options.title,
    junitPath: options.junitPath,
    generatedAt: new Date(),
    ...(options.drift ? { drift: options.drift } : {}),
    ...(options.logTails ? { logTails: options.logTails } : {}),
    ...(sources && { sources }),
  })
  for (const target of targets) await writeOutput(target, html)
}
