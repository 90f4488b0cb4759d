// The checked request of `xtest merge` and of the library's merge(): the flags (or plain values) checked, the config
// loaded once (its quarantine, its timings file, its run folders' plans), then what to merge and the finish request.
// Every report path is checked before any file is read: a bad one costs one line (exit 2 or 3), not the merge.
import fs from 'node:fs'
import path from 'node:path'
import { findConfigFile, loadConfig } from '../config/load.js'
import { UsageError } from '../core/errors.js'
import type { FinishRequest } from '../finish/request.js'
import { optionalPath } from '../plan/request.js'
import type { MergeFilesOptions } from '../report/index.js'
import { plural } from '../shared/plural.js'
import { checkReportPath } from '../shared/report-paths.js'
import { timingsPathOf } from '../store/timings.js'
import { findMergePlan, readMergePlan } from './merge-plan-file.js'
import { quarantineOf } from './quarantine-check.js'
import { findRepoRoot } from './repo-root.js'
import { partsCoverage } from './run-coverage.js'

/** What `xtest merge` takes: its flags by their long names, or a library caller's plain values. */
export interface MergeInput {
  /** `-o`: the merged JUnit file. */
  output?: string
  /** Also write the Markdown summary here. */
  summary?: string
  /** Also write the self-contained HTML report here. */
  html?: string
  /** The plan the parts were cut from (plan.json): every planned file must be reported, parts of other plans are refused. */
  plan?: string
  /** Record the durations and outcomes: true for the config's timings.json (`.xtest/timings.json` without a config), or this file. */
  timings?: string | boolean
  /** Parts that ran on different images or Vitest majors are only noted (default: a failing case, exit 1). */
  allowMixed?: boolean
  /** Also merge the raw coverage CI parts uploaded: true for every xtest-coverage.json below here, or this glob. */
  coverage?: string | boolean
  /** The xtest config (quarantine, outputDir); default: the one found upwards from here, if any. */
  config?: string
  env?: NodeJS.ProcessEnv
  onWarning?(line: string): void
}

type Known = Record<keyof MergeInput, 1>
const KNOWN: Known = { output: 1, summary: 1, html: 1, plan: 1, timings: 1, allowMixed: 1, coverage: 1, config: 1, env: 1, onWarning: 1 }
export const MERGE_OPTIONS = Object.keys(KNOWN)

export interface MergeRequest {
  files: string[]
  output: string
  merge: MergeFilesOptions
  finish: FinishRequest
  warn(line: string): void
}

/** Input → request, or the error (exit 2 or 3) that says which value is wrong. */
export async function toMergeRequest(files: readonly string[], input: MergeInput): Promise<MergeRequest> {
  const timings = parseTimingsOption(input.timings)
  if (input.coverage !== undefined && typeof input.coverage !== 'boolean' && typeof input.coverage !== 'string')
    throw new UsageError(`coverage expects true or a glob of xtest-coverage.json files, got ${JSON.stringify(input.coverage)}`)
  const coverage = input.coverage === true || input.coverage === '' ? true : input.coverage || undefined
  const output = optionalPath('output', input.output)
  if (!output) throw new UsageError('xtest merge needs -o OUT (the merged file)')
  if (input.html !== undefined && (typeof input.html !== 'string' || input.html === ''))
    throw new UsageError('xtest merge --html needs a file name')
  const planFile = optionalPath('plan', input.plan)
  if (files.length === 0 && !planFile) throw new UsageError('xtest merge needs at least one JUnit file')
  const summaryPath = optionalPath('summary', input.summary)
  checkReportPath('-o', output)
  if (summaryPath) checkReportPath('--summary', summaryPath)
  if (input.html) checkReportPath('--html', input.html)
  if (typeof timings === 'string') checkReportPath('--timings', timings)
  const configFile = optionalPath('config', input.config)
  const config = configFile !== undefined || findConfigFile(process.cwd()) !== null ? await loadConfig({ configFile }) : undefined
  const outputDirs = [path.resolve('.xtest'), ...(config ? [path.resolve(config.root, config.outputDir)] : [])]
  const dirs = [...new Set([process.cwd(), ...files.map((file) => path.dirname(path.resolve(file)))])]
  const quarantine = config ? quarantineOf(config) : []
  const findPlan = (hash: string) => findMergePlan(hash, outputDirs, dirs)
  const merge: MergeFilesOptions = {
    quarantine,
    findPlan,
    allowMixed: input.allowMixed === true,
    ...(planFile && { plan: readMergePlan(planFile) }),
  }
  const defaultTimings = () => (config ? timingsPathOf(config) : path.resolve('.xtest', 'timings.json'))
  const timingsFile = timings === true ? defaultTimings() : timings && path.resolve(timings)
  const env = input.env ?? process.env
  if (typeof env !== 'object' || env === null) throw new UsageError(`env expects an object of variables, got ${JSON.stringify(env)}`)
  const finish: FinishRequest = {
    title: `xtest merge of ${plural(files.length, 'report')}`,
    env,
    ...(summaryPath && { summaryPath }),
    htmlPaths: input.html ? [path.resolve(input.html)] : [],
    ...(timingsFile && { timings: { file: timingsFile }, historyOf: timingsFile }),
    root: config?.root ?? process.cwd(),
    quarantine,
    ...(coverage !== undefined && {
      coverage: partsCoverage(coverage, path.join(path.dirname(path.resolve(output)), 'coverage'), config?.root ?? process.cwd()),
    }),
    ...annotationsOf(config?.root ?? process.cwd(), env),
  }
  return { files: [...files], output, merge, finish, warn: input.onWarning ?? (() => {}) }
}

/** Under GitHub Actions: annotations name files relative to the repository root, whichever folder holds the config. */
export function annotationsOf(root: string, env: NodeJS.ProcessEnv): Pick<FinishRequest, 'annotate'> {
  if (env.GITHUB_ACTIONS !== 'true') return {}
  const real = fs.realpathSync(root)
  return { annotate: { pathPrefix: path.relative(findRepoRoot(real), real).split(path.sep).join('/') } }
}

/** `--timings [FILE]`: true for the default file, else the file. */
export function parseTimingsOption(value: unknown): string | true | undefined {
  if (value === undefined || value === false) return undefined
  if (value === true || value === '') return true
  const file = String(value)
  // `xtest merge --timings a.xml b.xml` would take a.xml as the timings file and overwrite a report.
  if (file.endsWith('.xml'))
    throw new UsageError(`--timings writes a JSON file, got '${file}' (write --timings after the input files, or --timings=FILE.json)`)
  return file
}
