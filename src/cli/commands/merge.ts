import fs from 'node:fs'
import { exitCodeFor, formatSummaryMarkdown, formatSummaryText, mergeJUnitFiles } from '../../report/index.js'
import { ConfigError } from '../../shared/errors.js'
import type { Output } from '../../shared/output.js'

/** `xtest merge FILES... -o OUT`: merge reports made on other machines; exit code from their results. */
export async function mergeCommand(files: string[], options: { output?: string; summary?: string }, out: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!options.output) throw new ConfigError('xtest merge needs -o OUT (the merged file)', 'XTEST_USAGE')
  if (files.length === 0) throw new ConfigError('xtest merge needs at least one JUnit file', 'XTEST_USAGE')
  const summary = await mergeJUnitFiles(files, options.output)
  out.stdout.write(`${formatSummaryText(summary)}\n`)
  if (options.summary) fs.writeFileSync(options.summary, formatSummaryMarkdown(summary))
  if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, formatSummaryMarkdown(summary))
  return exitCodeFor(summary)
}
