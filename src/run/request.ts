// The checked request of `xtest run` and of the library's run(): the plan's choices (plan/request.ts) plus
// how to run and where the reports go. Everything is checked here, before discovery and before any engine call:
// a bad --concurrency, --runtime or --progress, an impossible --failed combination or a report path that cannot
// be written cost one line (exit 2, or 3 for a read-only disk) now, not after an hour of tests.
import os from 'node:os'
import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import { UsageError } from '../core/errors.js'
import { RUNTIME_CHOICES, type RuntimeChoice } from '../core/runtimes.js'
import { TIERS, type Tier } from '../core/tiers.js'
import { parseChoice, parsePositiveInt } from '../plan/options.js'
import { optionalPath, PLAN_OPTIONS, type PlanInput, type PlanRequest, toPlanRequest } from '../plan/request.js'
import { takeVitestConfigArg } from '../plan/vitest-config.js'
import { checkFolder, checkReportPath } from '../shared/report-paths.js'
import { checkOutputDir, lastReportPathOf } from '../store/run-folder.js'
import { findRepoRoot } from './repo-root.js'

/** `--progress`: tty, plain or none; undefined means tty on an interactive terminal, plain otherwise. */
const PROGRESS_MODES = ['tty', 'plain', 'none'] as const
export type ProgressMode = (typeof PROGRESS_MODES)[number]

export interface RunInput extends PlanInput {
  /** Every tier (default without `tiers`: fast only). */
  all?: boolean
  /** Start nothing new and stop running shards after the first failing shard. */
  bail?: boolean
  /** Shards at once (default: the cores of this machine). */
  concurrency?: number | string
  runtime?: RuntimeChoice | string
  /** Arguments for every shard's Vitest (after `--` on the command line). */
  vitestArgs?: readonly string[]
  /** The merged JUnit copy (default: `<outputDir>/junit.xml`). */
  junit?: string
  /** Also write the Markdown summary here. */
  summary?: string
  /** How the CLI shows progress (the library reports through callbacks instead). */
  progress?: string
  /** Re-run only the failed tests of this report; true for the last merged report. */
  failed?: string | boolean
  /** false: run every file, also those whose stored pass still holds. */
  cache?: boolean
  /** No test file at all is fine (exit 0), as Vitest's option. */
  passWithNoTests?: boolean
  /** Collect coverage in every shard and merge it (also the config's `coverage: true` and `-- --coverage`). */
  coverage?: boolean
  env?: NodeJS.ProcessEnv
}

export interface RunRequest extends PlanRequest {
  runtime: RuntimeChoice
  concurrency: number
  bail: boolean
  vitestArgs: string[]
  /** Resolved and checked: the merged report's copy. */
  junitPath: string
  summaryPath?: string
  progress?: ProgressMode
  /** The report whose failed tests re-run (resolved; the default is the last merged report). */
  failed?: string
  cache: boolean
  passWithNoTests: boolean
  coverage: boolean
  env: NodeJS.ProcessEnv
}

/** The options run() takes besides its hooks (run/facade.ts). */
export const RUN_OPTIONS = [
  ...PLAN_OPTIONS,
  ...Object.keys({
    all: 1,
    bail: 1,
    concurrency: 1,
    runtime: 1,
    vitestArgs: 1,
    junit: 1,
    summary: 1,
    progress: 1,
    failed: 1,
    cache: 1,
    passWithNoTests: 1,
    coverage: 1,
    env: 1,
  } satisfies Record<Exclude<keyof RunInput, keyof PlanInput>, 1>),
]

/** Input → request, or the error (exit 2 or 3) that says which value is wrong. */
export async function toRunRequest(input: RunInput): Promise<RunRequest> {
  const failed = input.failed !== undefined && input.failed !== false
  if (failed) {
    const given = { shard: input.shard, changed: input.changed, plan: input.planFile }
    for (const [flag, value] of Object.entries(given))
      if (value !== undefined && value !== false) throw new UsageError(`--failed cannot be combined with --${flag}`)
  }
  const defaultTiers: Tier[] = input.all || failed ? [...TIERS] : ['fast']
  const plan = await toPlanRequest(input, defaultTiers)
  const { config } = plan
  const { vitestArgs = [], env = process.env } = input
  if (!Array.isArray(vitestArgs) || !vitestArgs.every((arg) => typeof arg === 'string'))
    throw new UsageError(`vitestArgs expects an array of strings, got ${JSON.stringify(vitestArgs)}`)
  if (typeof env !== 'object' || env === null) throw new UsageError(`env expects an object of variables, got ${JSON.stringify(env)}`)
  const runtime = parseChoice('runtime', input.runtime, RUNTIME_CHOICES, 'auto')
  const concurrency = parsePositiveInt('concurrency', input.concurrency) ?? os.availableParallelism()
  const progress = input.progress === undefined ? undefined : parseChoice('progress', input.progress, PROGRESS_MODES, 'plain')
  // Where the reports go: a device, a folder, a read-only disk fail now, in one line.
  const outputDir = checkOutputDir(config.root, config.outputDir, findRepoRoot(config.root))
  checkFolder(outputDir, `the output folder ${path.relative(process.cwd(), outputDir) || outputDir}`)
  const junitPath = checkReportPath('--junit', optionalPath('junit', input.junit) ?? path.join(outputDir, 'junit.xml'))
  // `-- --config X` names the Vitest config, as `vitestConfig:` does (xtest loads it inside its own wrapper config).
  const named = takeVitestConfigArg(vitestArgs)
  // `-- --coverage` is xtest's --coverage: the shards' coverage options are xtest's to set (shard-command.ts).
  const coverageArgs = named.args.filter((arg) => /^--coverage(\.enabled)?(=true)?$/.test(arg))
  const coverage = input.coverage === true || config.coverage || coverageArgs.length > 0
  const request: RunRequest = {
    ...plan,
    ...(named.config !== undefined && { config: withVitestConfig(config, named.config) }),
    runtime,
    concurrency,
    bail: Boolean(input.bail),
    vitestArgs: named.args.filter((arg) => !coverageArgs.includes(arg)),
    junitPath,
    // A stored pass has no coverage: with coverage every file runs.
    cache: input.cache !== false && !coverage,
    coverage,
    passWithNoTests: Boolean(input.passWithNoTests),
    env,
  }
  const summary = optionalPath('summary', input.summary)
  if (summary) {
    checkReportPath('--summary', summary)
    request.summaryPath = summary
  }
  if (progress) request.progress = progress
  if (failed) request.failed = typeof input.failed === 'string' && input.failed !== '' ? input.failed : lastReportPathOf(config)
  return request
}

// Every container's vitestConfig, from `-- --config X` (relative to where xtest was started, as a shell would).
function withVitestConfig(config: ResolvedConfig, file: string): ResolvedConfig {
  const vitestConfig = path.relative(config.root, path.resolve(file))
  const containers = Object.fromEntries(
    Object.entries(config.containers).map(([name, container]) => [name, { ...container, vitestConfig }]),
  )
  return { ...config, vitestConfig, containers }
}
