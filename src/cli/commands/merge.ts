import fs from 'node:fs'
import path from 'node:path'
import { findConfigFile, loadConfig } from '../../config/load.js'
import { exitCodeFor, formatSummaryMarkdown, formatSummaryText, mergeJUnitFiles, writeHtmlReport } from '../../report/index.js'
import { timingsPathOf } from '../../run/timings-store.js'
import { ConfigError } from '../../shared/errors.js'
import type { Output } from '../../shared/output.js'
import { recordReportTimings } from '../record-timings.js'
import { parseTimingsOption } from '../scale-options.js'
import { plural } from '../../shared/plural.js'

export interface MergeOptions {
  output?: string
  summary?: string
  /** `--timings [FILE]`: also record the merged report's durations. */
  timings?: unknown
  config?: string
  /** `--html FILE`: also write the self-contained HTML report. */
  html?: unknown
}

/** `xtest merge FILES... -o OUT`: merge reports made on other machines; exit code from their results. */
export async function mergeCommand(files: string[], options: MergeOptions, out: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const timings = parseTimingsOption(options.timings)
  if (!options.output) throw new ConfigError('xtest merge needs -o OUT (the merged file)', 'XTEST_USAGE')
  if (options.html !== undefined && (typeof options.html !== 'string' || options.html === '')) throw new ConfigError('xtest merge --html needs a file name', 'XTEST_USAGE')
  if (files.length === 0) throw new ConfigError('xtest merge needs at least one JUnit file', 'XTEST_USAGE')
  const summary = await mergeJUnitFiles(files, options.output)
  out.stdout.write(`${formatSummaryText(summary)}\n`)
  if (typeof options.html === 'string') await writeHtmlReport([path.resolve(options.html)], { junitPath: options.output, summary, title: `xtest merge of ${plural(files.length, 'report')}` })
  if (options.summary) fs.writeFileSync(options.summary, formatSummaryMarkdown(summary))
  if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, formatSummaryMarkdown(summary))
  if (timings !== undefined) {
    const file = timings === true ? await defaultTimingsFile(options.config) : path.resolve(timings)
    const recorded = await recordReportTimings(options.output, file, (line) => out.stderr.write(`xtest: warning: ${line}\n`))
    out.stderr.write(`xtest: recorded the durations of ${plural(recorded, 'file')} in ${path.relative(process.cwd(), file) || file}\n`)
  }
  return exitCodeFor(summary)
}

// The config's `<outputDir>/timings.json` when there is a config, else `.xtest/timings.json` here.
async function defaultTimingsFile(configFile: string | undefined): Promise<string> {
  if (configFile === undefined && findConfigFile(process.cwd()) === null) return path.resolve('.xtest', 'timings.json')
  return timingsPathOf(await loadConfig({ configFile }))
}
