// Writes report.html for a merged JUnit file: reads the file back (so the page's totals are the file's totals,
// exactly), renders, and writes it through a fresh temp file and a rename.
import fs from 'node:fs'
import path from 'node:path'
import type { DriftEntry } from '../../plan/drift.js'
import { writeFreshFile } from '../../core/safe-fs.js'
import { readJUnit } from '../read-junit.js'
import type { RunSummary } from '../types.js'
import { renderHtmlReport } from './render.js'

export interface WriteHtmlOptions {
  /** The merged JUnit file the page shows. */
  junitPath: string
  summary: RunSummary
  title: string
  drift?: readonly DriftEntry[]
  logTails?: ReadonlyMap<string, string>
}

/** Renders the page for `junitPath` into each of `targets` (e.g. the run folder's and `.xtest/report.html`). */
export async function writeHtmlReport(targets: readonly string[], options: WriteHtmlOptions): Promise<void> {
  const read = await readJUnit(options.junitPath)
  if (!read.ok) throw new Error(`cannot read ${options.junitPath} back for the HTML report: ${read.message}`)
  const html = renderHtmlReport({
    report: read.value.report,
    summary: options.summary,
    title: options.title,
    junitPath: options.junitPath,
    generatedAt: new Date(),
    ...(options.drift ? { drift: options.drift } : {}),
    ...(options.logTails ? { logTails: options.logTails } : {}),
  })
  for (const target of targets) {
    fs.mkdirSync(path.dirname(target), { recursive: true })
    writeFreshFile(target, html)
  }
}
