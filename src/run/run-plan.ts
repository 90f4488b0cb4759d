// The run itself: choose runtimes, make images, schedule the shards and record what each did.
import path from 'node:path'
import { findCacheDir } from '../config/parse-cache.js'
import type { ResolvedConfig } from '../config/resolve.js'
import { XtestError } from '../core/errors.js'
import { ExitCode } from '../core/exit-codes.js'
import type { RuntimeChoice } from '../core/runtimes.js'
import type { ShardOutcome, ShardSpec } from '../core/shard.js'
import { TIERS, type Tier } from '../core/tiers.js'
import { writePlanRecord } from '../plan/io/plan-file.js'
import { selectShards } from '../plan/plan.js'
import type { PlanRecord } from '../plan/plan-record.js'
import type { Plan, Shard } from '../plan/types.js'
import type { CachedSuite } from '../report/cached-suites.js'
import { sweepDeadRuns } from '../runtimes/leftovers.js'
import { ownerLabels } from '../runtimes/owner-labels.js'
import { loadRuntimes, selectRuntimes } from '../runtimes/select.js'
import { noteWriteFault } from '../shared/write-faults.js'
import { writeStored } from '../store/files.js'
import { createRunFolder, type RunFolder } from '../store/run-folder.js'
import { describeSelection, type ResultCache } from './cache/result-cache.js'
import { diagnoseOutcome } from './diagnose-shard.js'
import { ensureImages } from './ensure-images.js'
import { checkImageNodes, checkImagesPresent, checkVitestVersions } from './preflight.js'
import { findRepoRoot } from './repo-root.js'
import { notStarted, scheduleShards } from './schedule.js'
import { tierTagsOf, toShardSpecs, withShardCpus } from './shard-specs.js'

export interface RunOptions {
  config: ResolvedConfig
  /** The plan whose shards run, as selected by the planner (plan/prepare.ts): runPlan selects nothing again. */
  plan: Plan
  /** @deprecated Narrow the plan with the planner instead (plan() of the facade); kept for older library callers. */
  containers?: string[]
  /** @deprecated As `containers`. */
  tiers?: Tier[]
  /** Written to the run folder as plan.json, so the run can be repeated exactly (`xtest run --plan`). */
  record?: PlanRecord
  runtime: RuntimeChoice
  concurrency: number
  bail: boolean
  vitestArgs: string[]
  /** Every shard collects coverage (raw JSON in its own output folder). */
  coverage?: boolean
  /** More Vitest arguments for one shard (`run --failed`: the name filter of its failed tests). */
  argsFor?(shard: Shard): string[]
  signal: AbortSignal
  hostEnv?: NodeJS.ProcessEnv
  onNotice?(line: string): void
  onShardStart?(spec: ShardSpec): void
  onShardEnd?(outcome: ShardOutcome): void
  /** Where a running shard's progress.ndjson appears (host path in its exchange folder; written by the shard). */
  onShardProgressFile?(spec: ShardSpec, progressPath: string): void
  /** The result cache: files whose stored pass still holds do not run. */
  cache?: ResultCache
}

export interface RunResult {
  folder: RunFolder
  specs: ShardSpec[]
  outcomes: ShardOutcome[]
  /** Results taken from the cache instead of running. */
  cached: CachedSuite[]
  /**
   * A config error that only showed when a shard was created (a volume swapped for a link since the config was
   * read, no Vitest for a workdir): its shard is accounted as not started, and the run exits 2 with this line.
   */
  configError?: XtestError
}

/** Plan → outcomes: pick runtimes, make sure images exist, run the shards, record each shard.json. */
export async function runPlan(options: RunOptions): Promise<RunResult> {
  const { config } = options
  const shards =
    options.containers || options.tiers ? selectShards(options.plan, options.containers, options.tiers ?? [...TIERS]) : options.plan.shards
  const containers = [...new Set(shards.map((s) => s.container))]
  // Before anything starts (no run folder, no shard): a Vitest xtest cannot drive, an image the engine lacks.
  checkVitestVersions(config, containers, findRepoRoot(config.root))
  const selection = await selectRuntimes(config, containers, options.runtime, options.hostEnv ?? process.env)
  if (selection.notice) options.onNotice?.(selection.notice)
  const nodesKnown = path.join(findCacheDir(config.root) ?? path.resolve(config.root, config.outputDir), 'image-node.json')
  await checkImageNodes(config, selection, await checkImagesPresent(config, selection), nodesKnown)
  const folder = createRunFolder(path.resolve(config.root, config.outputDir))
  if (options.record) writePlanRecord(folder.dir, options.record)
  const repoRoot = findRepoRoot(config.root)
  const specs = toShardSpecs(shards, config, folder, repoRoot, options.vitestArgs, options.hostEnv ?? process.env, options.concurrency)
  if (options.coverage) for (const spec of specs) spec.coverage = true
  if (options.argsFor)
    specs.forEach((spec, i) => {
      spec.vitestArgs = [...spec.vitestArgs, ...options.argsFor!(shards[i]!)]
    })
  await sweepDeadRuns(Object.values(selection.engines), repoRoot, options.onNotice)
  const images = await ensureImages(config, selection, folder, options.onNotice, options.signal)
  await checkImageNodes(config, selection, images.refs, nodesKnown) // the images built just now
  const reuse = options.cache?.select(specs, (name) => (selection.runtimeOf[name] === 'local' ? 'local' : images.refs.get(name)?.imageId))
  if (reuse) options.onNotice?.(describeSelection(reuse, specs))
  const toRun = reuse?.shards ?? specs
  const runtimes = await loadRuntimes(selection, {
    images: images.refs,
    containers: withShardCpus(config.containers, specs),
    tierTags: tierTagsOf(config),
    labels: { 'xtest.run': folder.runId, ...ownerLabels(repoRoot) },
    hostEnv: options.hostEnv,
  })
  let configError: XtestError | undefined
  // Storing their passes reads their modules: what can be read while they run is read then.
  const warming = options.cache?.warm(toRun)
  const outcomes = await scheduleShards(toRun, {
    concurrency: options.concurrency,
    bail: options.bail,
    signal: options.signal,
    isFailure: (o) => o.exitCode !== 0 || o.ended !== undefined,
    runShard: async (spec, signal) => {
      const failed = images.failures.get(spec.container)
      const runtime = runtimes[selection.runtimeOf[spec.container]!]!
      // A runtime that throws (a bug, a missing Vitest) costs its shard, never the run or its report.
      const outcome = failed
        ? notStarted(spec, 'infra', failed)
        : await runtime
            .runShard(spec, signal, { onProgressFile: (file) => options.onShardProgressFile?.(spec, file) })
            .catch((error: unknown) => {
              if (error instanceof XtestError && error.exitCode === ExitCode.usage) configError ??= error
              return notStarted(spec, 'infra', `${runtime.name} runtime: ${error instanceof Error ? error.message : String(error)}`)
            })
      if (!failed && outcome.command.length > 0)
        markWhereItRan(outcome, config.containers[spec.container]!, selection.fellBack?.[spec.container])
      // Saying why is a courtesy: it never costs the shard its outcome.
      await diagnoseOutcome(outcome, spec).catch(() => {})
      writeShardJson(spec, outcome)
      return outcome
    },
    onStart: options.onShardStart,
    onEnd: options.onShardEnd,
  }).finally(() => warming?.stop())
  for (const [i, outcome] of outcomes.entries()) if (outcome.durationMs === 0) writeShardJson(toRun[i]!, outcome)
  return { folder, specs: toRun, outcomes, cached: reuse?.cached ?? [], ...(configError && { configError }) }
}

// Where a started shard ran, for the summaries: the host's Node, and the image it did not run in when auto fell back.
function markWhereItRan(outcome: ShardOutcome, container: { image?: string | undefined }, fellBack: string | undefined): void {
  if (outcome.runtime !== 'local') return
  outcome.hostNode = process.version
  if (fellBack !== undefined) outcome.fellBack = { image: container.image ?? 'its built image', reason: fellBack }
}

// A shard.json that cannot be written (a full disk) is noted for the end of the run, never fatal to it.
function writeShardJson(spec: ShardSpec, outcome: ShardOutcome): void {
  const file = path.join(spec.shardDir, 'shard.json')
  try {
    writeStored(file, `${JSON.stringify({ ...outcome, workdir: spec.workdir, timeoutMs: spec.timeoutMs }, null, 2)}\n`)
  } catch (error) {
    noteWriteFault(file, error)
  }
}
