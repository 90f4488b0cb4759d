// Writes report.html for a merged report from the report in memory (the merged file is never read back: it may be a
// pipe or a device; its totals are the same object's), as every report path is written (shared/write-output.ts).
import type { DriftEntry } from '../../plan/drift.js'
import { writeOutput } from '../../shared/write-output.js'
import type { JUnitReport, RunSummary } from '../types.js'
import { renderHtmlReport } from './render.js'

export interface WriteHtmlOptions {
  /** The merged JUnit file the page links to. */
  junitPath: string
  report: JUnitReport
  summary: RunSummary
  title: string
  drift?: readonly DriftEntry[]
  logTails?: ReadonlyMap<string, string>
}

/** Renders the page into each of `targets` (e.g. the run folder's and `.xtest/report.html`). */
export async function writeHtmlReport(targets: readonly string[], options: WriteHtmlOptions): Promise<void> {
  const html = renderHtmlReport({
    report: options.report,
    summary: options.summary,
    title: options.title,
    junitPath: options.junitPath,
    generatedAt: new Date(),
    ...(options.drift ? { drift: options.drift } : {}),
    ...(options.logTails ? { logTails: options.logTails } : {}),
  })
  for (const target of targets) await writeOutput(target, html)
}
