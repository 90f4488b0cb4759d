// Writes report.html for a merged JUnit file: reads the file back (so the page's totals are the file's totals,
// exactly), renders, and writes it as every report path is written (shared/write-output.ts).
import type { DriftEntry } from '../../plan/drift.js'
import { writeOutput } from '../../shared/write-output.js'
import { readJUnit } from '../read-junit.js'
import type { JUnitReport, RunSummary } from '../types.js'
import { renderHtmlReport } from './render.js'
import { findLine } from '../summarize.js'
import { readSourceExcerpt, sourceKey, type SourceExcerpt } from './source-excerpt.js'

export interface WriteHtmlOptions {
  /** The merged JUnit file the page shows. */
  junitPath: string
  /** The merged report in memory, when the caller has it: the file is then not read back (it may be a pipe or a device). */
  report?: JUnitReport
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

/** Renders the page for `junitPath` into each of `targets` (e.g. the run folder's and `.xtest/report.html`). */
export async function writeHtmlReport(targets: readonly string[], options: WriteHtmlOptions): Promise<void> {
  let report = options.report
  if (report === undefined) {
    const read = await readJUnit(options.junitPath)
    if (!read.ok) throw new Error(`cannot read ${options.junitPath} back for the HTML report: ${read.message}`)
    report = read.value.report
  }
  const sources = options.sourceRoot === undefined ? undefined : await readSources(report, options.sourceRoot)
  const html = renderHtmlReport({
    report,
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
