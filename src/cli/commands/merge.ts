// `xtest merge`: reports made on other machines become one, with the summaries and exit code of a run.
import path from 'node:path'
import { findConfigFile, loadConfig } from '../../config/load.js'
import { exitCodeFor, formatCoverageText, formatSummaryMarkdown, formatSummaryText, writeHtmlReport } from '../../report/index.js'
import { partsCoverage } from '../../run/run-coverage.js'
import { merge } from '../../run/facade.js'
import { timingsPathOf } from '../../store/timings.js'
import { UsageError } from '../../core/errors.js'
import { printable } from '../../core/printable.js'
import { ExitCode } from '../../core/exit-codes.js'
import { describeFsError, isFsError } from '../../shared/write-faults.js'
import type { Output } from '../../shared/output.js'
import { recordReportTimings } from '../../run/record-timings.js'
import { checkReportPath } from '../../shared/report-paths.js'
import { writeOutput } from '../../shared/write-output.js'
import { printAnnotations } from '../annotate.js'
import { mergeExtras } from '../merge-extras.js'
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
  /** `--plan FILE`: the plan the parts were cut from. */
  plan?: string
  /** `--allow-mixed`: parts of different images or Vitest majors are noted, not failed. */
  allowMixed?: boolean
  /** `--coverage [GLOB]`: merge the parts' raw coverage (xtest-coverage.json) into `coverage/` beside -o. */
  coverage?: unknown
}

/** `xtest merge FILES... -o OUT`: merge reports made on other machines; exit code from their results. */
export async function mergeCommand(
  files: string[],
  options: MergeOptions,
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const timings = parseTimingsOption(options.timings)
  if (!options.output) throw new UsageError('xtest merge needs -o OUT (the merged file)')
  if (options.html !== undefined && (typeof options.html !== 'string' || options.html === ''))
    throw new UsageError('xtest merge --html needs a file name')
  if (files.length === 0 && !options.plan) throw new UsageError('xtest merge needs at least one JUnit file')
  checkReportPath('-o', options.output)
  if (options.summary) checkReportPath('--summary', options.summary)
  if (typeof options.html === 'string') checkReportPath('--html', options.html)
  if (typeof timings === 'string') checkReportPath('--timings', timings)
  const extras = await mergeExtras(files, options, timings !== undefined, (line) =>
    out.stderr.write(`xtest: warning: ${printable(line)}\n`),
  )
  const summary = await merge(files, { ...extras.options, output: options.output, allowMixed: options.allowMixed === true })
  await extras.after(summary)
  let failedWrites = 0
  if (options.coverage !== undefined && options.coverage !== false) {
    const glob = typeof options.coverage === 'string' && options.coverage !== '' ? options.coverage : true
    const outDir = path.join(path.dirname(path.resolve(options.output)), 'coverage')
    const root = options.config ? path.dirname(path.resolve(options.config)) : process.cwd()
    const coverage = await partsCoverage(glob, outDir, root, (line) => out.stderr.write(`xtest: warning: ${printable(line)}\n`)).catch(
      (error: unknown) => {
        if (!isFsError(error)) throw error
        out.stderr.write(`xtest: cannot write the coverage report ${outDir}: ${describeFsError(error)}\n`)
        failedWrites++
      },
    )
    if (coverage) {
      summary.coverage = coverage
      out.stdout.write(formatCoverageText(coverage))
      out.stderr.write(`xtest: merged coverage ${path.relative(process.cwd(), outDir) || outDir}\n`)
    }
  }
  out.stdout.write(`${formatSummaryText(summary)}\n`)
  printAnnotations(summary, extras.root, env, out)
  // The merged report is written; a summary the disk refuses costs one line and exit 3 (unless tests failed).
  const write = async (file: string, how: () => Promise<void>) => {
    try {
      await how()
    } catch (error) {
      if (!isFsError(error)) throw error
      out.stderr.write(`xtest: cannot write ${file}: ${describeFsError(error)}\n`)
      failedWrites++
    }
  }
  if (options.summary) await write(options.summary, () => writeOutput(path.resolve(options.summary!), formatSummaryMarkdown(summary)))
  if (env.GITHUB_STEP_SUMMARY)
    await write(env.GITHUB_STEP_SUMMARY, () =>
      writeOutput(path.resolve(env.GITHUB_STEP_SUMMARY!), formatSummaryMarkdown(summary), { append: true }),
    )
  // Last: a page that cannot be made (too big to render, a refused path) costs one line and exit 3, never the summaries.
  if (typeof options.html === 'string') {
    const report = extras.report()
    await writeHtmlReport([path.resolve(options.html)], {
      junitPath: options.output,
      ...(report && { report }),
      summary,
      title: `xtest merge of ${plural(files.length, 'report')}`,
      sourceRoot: extras.root,
    }).catch((error: unknown) => {
      out.stderr.write(`xtest: cannot write the HTML report ${options.html}: ${describeFsError(error)}\n`)
      failedWrites++
    })
  }
  if (timings !== undefined) {
    const file = timings === true ? await defaultTimingsFile(options.config) : path.resolve(timings)
    const report = extras.report()
    const { recorded } = report
      ? await recordReportTimings(report, file, (line) => out.stderr.write(`xtest: warning: ${printable(line)}\n`))
      : { recorded: 0 }
    out.stderr.write(`xtest: recorded the durations of ${plural(recorded, 'file')} in ${path.relative(process.cwd(), file) || file}\n`)
  }
  const code = exitCodeFor(summary) || (summary.coverage?.failures.length ? ExitCode.testsFailed : ExitCode.ok)
  return failedWrites > 0 && code === ExitCode.ok ? ExitCode.infra : code
}

// The config's `<outputDir>/timings.json` when there is a config, else `.xtest/timings.json` here.
async function defaultTimingsFile(configFile: string | undefined): Promise<string> {
  if (configFile === undefined && findConfigFile(process.cwd()) === null) return path.resolve('.xtest', 'timings.json')
  return timingsPathOf(await loadConfig({ configFile }))
}
