// One pipeline, callable from code as from the CLI: request → plan → run → merge → summary. `xtest plan`
// and `xtest run` parse their flags, call plan()/run() here and print; a library caller passes plain values and gets
// the same checks (an XtestError with the CLI's exit code), the same merged report, timings and exit code.

import { UsageError } from '../core/errors.js'
import type { WorkflowCommands } from '../core/printable.js'
import type { ShardOutcome, ShardSpec } from '../core/shard.js'
import { TIERS } from '../core/tiers.js'
import type { FinishedRun } from '../finish/compose.js'
import type { FinishHooks } from '../finish/request.js'
import { checkOptions, PLAN_OPTIONS, type PlanInput, type PlanRequest, toPlanRequest } from '../plan/request.js'
import { prepareWork, type Work } from '../plan/work.js'
import type { RunSummary } from '../report/index.js'
import { withWriteFaults } from '../shared/write-faults.js'
import { withRecordedInputs } from './cache/recorded-inputs.js'
import { MERGE_OPTIONS, type MergeInput, type MergeRequest, toMergeRequest } from './merge-request.js'
import { PhaseClock } from './phase-clock.js'
import { findRepoRoot } from './repo-root.js'
import { RUN_OPTIONS, type RunInput, type RunRequest, toRunRequest } from './request.js'

export interface PlanResult extends Work {
  request: PlanRequest
}

/** The plan and this machine's shards, as `xtest plan` shows them (default: every tier). */
export async function plan(input: PlanInput = {}): Promise<PlanResult> {
  checkOptions('plan()', input, PLAN_OPTIONS)
  const request = await toPlanRequest(input, [...TIERS])
  return { request, ...(await prepareWork(withRecordedInputs(request))) }
}

export interface RunHooks {
  /** Abort to stop the run as Ctrl-C does: running shards stop, the report is still merged (exit 130). */
  signal?: AbortSignal
  /** Lines for the person running xtest: the part, the --changed selection, the merged report's path, drift. */
  onNotice?(line: string): void
  /** The work is planned, no engine called yet. */
  onPlanned?(work: Work): void
  onShardStart?(spec: ShardSpec): void
  onShardEnd?(outcome: ShardOutcome): void
  /** Where a running shard's progress.ndjson appears (untrusted: written by the shard). */
  onShardProgressFile?(spec: ShardSpec, file: string): void
  /** Every shard has ended; the merge starts. */
  onShardsDone?(): void
  /** The merged summary, before the Markdown summary and the HTML are written. */
  onSummary?(summary: RunSummary): void | Promise<void>
  /** Under GitHub Actions: the `::error` annotations of the failures, to print on stdout. */
  onAnnotations?(commands: WorkflowCommands): void
}

export interface RunDone extends Partial<FinishedRun> {
  /** 0 ok, 1 tests failed, 3 infrastructure, 130 interrupted (a usage or config error throws instead: 2). */
  exitCode: number
  /** Set when there was nothing to run, and why (exit 0; 1 when --failed could re-run none of the report's failures). */
  nothing?: string
  /** The run folder, `<outputDir>/runs/<run id>`. */
  runFolder?: string
}

const HOOKS = Object.keys({
  signal: 1,
  onNotice: 1,
  onPlanned: 1,
  onShardStart: 1,
  onShardEnd: 1,
  onShardProgressFile: 1,
  onShardsDone: 1,
  onSummary: 1,
  onAnnotations: 1,
} satisfies Record<keyof RunHooks, 1>)

// The run side's modules, loaded on first use (`xtest plan`, importOrSkip and the root import never load them) and
// started before the request is checked, so that loading them overlaps reading the config.
let runSide: Promise<[typeof import('./run-work.js'), typeof import('./run-plan.js'), typeof import('./cache/result-cache.js')]> | undefined
export const loadRunSide = () =>
  (runSide ??= Promise.all([import('./run-work.js'), import('./run-plan.js'), import('./cache/result-cache.js')]))

/** Plans, runs the shards, merges their JUnit; never prints (see RunHooks). */
export async function run(input: RunInput & RunHooks = {}): Promise<RunDone> {
  loadRunSide().catch(() => {})
  checkOptions('run()', input, [...RUN_OPTIONS, ...HOOKS])
  return runRequest(await toRunRequest(input), input)
}

/** A checked request → the finished run (the CLI checks the request first, then starts its interrupt handling). */
export function runRequest(request: RunRequest, hooks: RunHooks = {}): Promise<RunDone> {
  return withWriteFaults(() => runInScope(request, hooks))
}

async function runInScope(request: RunRequest, hooks: RunHooks): Promise<RunDone> {
  const { config } = request
  const notice = hooks.onNotice ?? (() => {})
  const [{ prepareRunWork }, { runPlan }, { createResultCache }] = await loadRunSide()
  const clock = new PhaseClock()
  const setup = await prepareRunWork(request, notice)
  clock.mark('planned')
  if ('nothing' in setup) return { exitCode: setup.exitCode, nothing: setup.nothing }
  const { work, argsFor } = setup
  // The result cache: never for --failed, whose shards run only some tests of each file.
  const cache = argsFor
    ? undefined
    : createResultCache({ config, repoRoot: findRepoRoot(config.root), reuse: request.cache, env: request.env })
  hooks.onPlanned?.(work)
  const signal = hooks.signal ?? new AbortController().signal
  // The report side (XML parser, merge, summaries) loads while the first shard's container starts, not before.
  let finishing: Promise<typeof import('./finish.js')> | undefined
  const loadFinish = () => (finishing ??= import('./finish.js'))
  const result = await runPlan({
    config,
    plan: work.prepared.plan,
    record: work.prepared.record,
    runtime: request.runtime,
    concurrency: request.concurrency,
    bail: request.bail,
    vitestArgs: request.vitestArgs,
    coverage: request.coverage,
    ...(argsFor && { argsFor }),
    signal,
    hostEnv: request.env,
    cache,
    onNotice: notice,
    onShardStart: (spec) => {
      clock.mark('firstShardStarted')
      hooks.onShardStart?.(spec)
      void loadFinish()
    },
    onShardEnd: (outcome) => hooks.onShardEnd?.(outcome),
    onShardProgressFile: (spec, file) => hooks.onShardProgressFile?.(spec, file),
  })
  clock.mark('shardsDone')
  hooks.onShardsDone?.()
  const { finishRun } = await loadFinish()
  const hooksOf = finishHooks(request, hooks)
  const finished = await finishRun({ request, work: setup, result, interrupted: signal.aborted, cache, hooks: hooksOf })
  clock.mark('finished')
  clock.write(result.folder.dir, finished.steps)
  return { ...finished, runFolder: result.folder.dir }
}

export type MergeHooks = Pick<RunHooks, 'onNotice' | 'onSummary' | 'onAnnotations'>

/** Merges JUnit files made elsewhere into `output` and finishes as `xtest merge` does: summaries, page, timings, exit code. */
export async function merge(files: readonly string[], input: MergeInput & MergeHooks): Promise<FinishedRun> {
  if (!Array.isArray(files) || !files.every((file) => typeof file === 'string'))
    throw new UsageError(`merge(): files expects an array of JUnit file paths, got ${JSON.stringify(files)}`)
  if (typeof input?.output !== 'string' || input.output === '')
    throw new UsageError("merge(): needs { output: 'merged.xml' }, the merged file")
  checkOptions('merge()', input, [...MERGE_OPTIONS, 'onNotice', 'onSummary', 'onAnnotations'])
  return mergeRequest(await toMergeRequest(files, input), input)
}

/** A checked request → the merged report, finished (the CLI checks the request first). */
export function mergeRequest(request: MergeRequest, hooks: MergeHooks = {}): Promise<FinishedRun> {
  return withWriteFaults(async () => {
    const [{ mergeJUnitFiles }, { finish }] = await Promise.all([import('../report/index.js'), import('../finish/compose.js')])
    return finish(request.finish, await mergeJUnitFiles(request.files, request.output, request.merge), finishHooks(request, hooks))
  })
}

const finishHooks = ({ warn }: { warn(line: string): void }, hooks: MergeHooks): FinishHooks => ({
  ...hooks,
  notice: hooks.onNotice ?? (() => {}),
  warn,
})
