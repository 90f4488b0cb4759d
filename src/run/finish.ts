// The end of every run, also after a failure or Ctrl-C: the shards' JUnit merged into one report (report/merge.ts),
// then the finish stage (finish/compose.ts) with this run's request. Prints nothing: its lines go to the hooks, so a
// library caller (run/facade.ts) gets the same result as `xtest run`.
import path from 'node:path'
import { type FinishedRun, finish } from '../finish/compose.js'
import type { FinishHooks } from '../finish/request.js'
import { COMPLETES, mergeRun, PART, PLAN_HASH, type ReportProperty } from '../report/index.js'
import { timingsPathOf } from '../store/timings.js'
import type { ResultCache } from './cache/result-cache.js'
import { annotationsOf } from './merge-request.js'
import { quarantineOf } from './quarantine-check.js'
import type { RunRequest } from './request.js'
import { runCoverage } from './run-coverage.js'
import type { RunResult } from './run-plan.js'
import type { RunWork } from './run-work.js'

export interface FinishRunInput {
  request: RunRequest
  work: RunWork
  result: RunResult
  interrupted: boolean
  /** The files that passed are stored here after the merge. */
  cache: ResultCache | undefined
  hooks: FinishHooks
}

/** Merges the shards' JUnit, then finishes: the stores, the summaries, the page; returns the summary and exit code. */
export async function finishRun({
  request,
  work: { work, adds },
  result,
  interrupted,
  cache,
  hooks,
}: FinishRunInput): Promise<FinishedRun> {
  const { config, env } = request
  const { runId, dir } = result.folder
  // The plan hash and part on every suite (so that `xtest merge` can check the parts), and the run a `--failed` completes.
  const properties: ReportProperty[] = [{ name: PLAN_HASH, value: adds.planHash }]
  if (adds.part) properties.push({ name: PART, value: `${adds.part.index}/${adds.part.count}` })
  if (adds.completes) properties.push({ name: COMPLETES, value: adds.completes })
  const quarantine = quarantineOf(config)
  const mergeStarted = performance.now()
  const merged = await mergeRun({
    runId,
    // One outcome per shard: schedule.ts gives each shard that never started its outcome (the one owner of that).
    outcomes: result.outcomes,
    workdirs: Object.fromEntries(Object.entries(config.containers).map(([name, c]) => [name, c.workdir])),
    outPath: path.join(dir, 'junit.xml'),
    copyTo: [request.junitPath],
    properties,
    quarantine,
    cached: result.cached,
    ...(adds.carried?.length && { carried: adds.carried }),
    ...(adds.aimed?.cells.length && { aimed: adds.aimed }),
  })
  const mergeMs = Math.round(performance.now() - mergeStarted)
  const timingsFile = timingsPathOf(config)
  const finishRequest = {
    title: `xtest run ${runId}`,
    env,
    ...(request.summaryPath && { summaryPath: request.summaryPath }),
    htmlPaths: [path.join(dir, 'report.html'), path.resolve(config.root, config.outputDir, 'report.html')],
    root: config.root,
    // A `--failed` re-run records no timings (only some tests of each file ran); a `--shard` part waits for its split.
    ...(adds.completes === undefined && {
      timings: { file: timingsFile, ...(adds.part && { part: { planHash: adds.planHash, ...adds.part } }) },
    }),
    historyOf: timingsFile,
    quarantine,
    ...(request.coverage && { coverage: runCoverage(config, result) }),
    ...annotationsOf(config.root, env),
    run: {
      result,
      junitPath: request.junitPath,
      cache,
      shards: work.prepared.plan.shards,
      plannedTimings: work.timings,
      prune: config,
      interrupted,
    },
  }
  const finished = await finish(finishRequest, merged, hooks)
  finished.steps.unshift({ step: 'merge', ms: mergeMs })
  return finished
}
