// Finish step: the summary handed to the caller (the CLI prints it), then the Markdown summary for `--summary` and
// GitHub's step summary. A file the disk refuses is noted (one line, exit 3 at the end), never thrown.
import path from 'node:path'
import { formatSummaryMarkdown } from '../../report/index.js'
import { isFsError, noteWriteFault, takeWriteFaults } from '../../shared/write-faults.js'
import { writeOutput } from '../../shared/write-output.js'
import type { Finishing } from '../compose.js'

export async function writeSummaries({ request: { env, summaryPath, run }, summary, hooks, faults }: Finishing): Promise<void> {
  await hooks.onSummary?.(summary)
  const markdown = summaryPath || env.GITHUB_STEP_SUMMARY ? formatSummaryMarkdown(summary) : ''
  if (summaryPath) await writeOrNote(summaryPath, () => writeOutput(path.resolve(summaryPath), markdown))
  const step = env.GITHUB_STEP_SUMMARY
  if (step) await writeOrNote(step, () => writeOutput(path.resolve(step), markdown, { append: true }))
  faults.push(...takeWriteFaults())
  if (!run) return
  const lost = faults.some((fault) => fault.file === run.junitPath)
  const where = lost ? 'not written (see below)' : path.relative(process.cwd(), run.junitPath) || run.junitPath
  hooks.notice(`merged report ${where} (run folder ${path.relative(process.cwd(), run.result.folder.dir)})`)
}

async function writeOrNote(file: string, write: () => Promise<void>): Promise<void> {
  try {
    await write()
  } catch (error) {
    if (!isFsError(error)) throw error
    noteWriteFault(path.resolve(file), error)
  }
}
