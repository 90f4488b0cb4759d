// Writes report.html for a merged JUnit file: reads the file back (so the page's totals are the file's totals,
// exactly), renders, and writes it as every report path is written (shared/write-output.ts).
import type { DriftEntry } from '../../plan/drift.js'
import { writeOutput } from '../../shared/write-output.js'
import { readJUnit } from '../read-junit.js'
import type { JUnitReport, RunSummary } from '../types.js'
import { renderHtmlReport } from './render.js'

export interface WriteHtmlOptions {
  /** The merged JUnit file the page shows. */
  junitPath: string
  /** The merged report in memory, when the caller has it: the file is then not read back (it may be a pipe or a device). */
  report?: JUnitReport
  summary: RunSummary
  title: string
  drift?: readonly DriftEntry[]
  logTails?: ReadonlyMap<string, string>
}

/** Renders the page for `junitPath` into each of `targets` (e.g. the run folder's and `.xtest/report.html`). */
export async function writeHtmlReport(targets: readonly string[], options: WriteHtmlOptions): Promise<void> {
  let report = options.report
  if (report === undefined) {
    const read = await readJUnit(options.junitPath)
    if (!read.ok) throw new Error(`cannot read ${options.junitPath} back for the HTML report: ${read.message}`)
    report = read.value.report
  }
  const html = renderHtmlReport({
    report,
    summary: options.summary,
    title: options.title,
    junitPath: options.junitPath,
    generatedAt: new Date(),
    ...(options.drift ? { drift: options.drift } : {}),
    ...(options.logTails ? { logTails: options.logTails } : {}),
  })
  for (const target of targets) await writeOutput(target, html)
}
