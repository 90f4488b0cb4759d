// The end of every run: merge each shard's JUnit into one report, write it, and say what happened.
import { createReadStream } from 'node:fs'
import { resolve } from 'node:path'
import { fail } from '../core/result.js'
import { notStartedOutcome, type ShardOutcome } from '../core/shard.js'
import type { Shard } from '../plan/types.js'
import { isFsError, noteWriteFault } from '../shared/write-faults.js'
import { writeOutput } from '../shared/write-output.js'
import { addCachedSources, type CachedSuite, markCached } from './cached-suites.js'
import { checkRerun } from './failed-cells.js'
import { finishReport, type Merged, type ReportExtras } from './finish-report.js'
import { type CaseSource, keepWorst } from './keep-worst.js'
import { mergeShard } from './merge-shard.js'
import { readShardReport } from './read-shard-report.js'
import { summarizeReport } from './summarize.js'
import { DEFAULT_LIMITS, type JUnitReport, type ReadResult, type ReportLimits, type ReportSuite, type ShardSummary } from './types.js'
import { writeJUnit } from './write-junit.js'

export interface MergeRunOptions extends ReportExtras {
  runId: string
  /** One outcome per shard that was started (also failed, timed-out and interrupted ones). */
  outcomes: readonly ShardOutcome[]
  /** The plan's shards: any without an outcome never ran and is reported as interrupted. */
  planned?: readonly Shard[]
  /** Container name → working directory relative to the config root (default: the root itself). */
  workdirs?: Readonly<Record<string, string>>
  /** The merged file: `.xtest/runs/<run-id>/junit.xml`. */
  outPath: string
  /** Copies of the merged file, e.g. the `--junit` path (default `.xtest/junit.xml`). */
  copyTo?: readonly string[]
  limits?: Partial<ReportLimits>
  /** Results taken from the result cache instead of running (src/run/cache/): merged as stored, marked `xtest.cached`. */
  cached?: readonly CachedSuite[]
  /** Failures of an earlier report that a `--failed` re-run could not re-run (report/synthesize.ts): they stay failed. */
  carried?: readonly ReportSuite[]
  /** A `--failed` re-run: the failing tests it aimed at by name, per file suite, and the report they failed in. */
  aimed?: { source: string; cells: ReadonlyArray<{ suite: string; names: readonly string[] }> }
}

// A planned shard that has no outcome was never started: interrupted, with nothing to read.
const neverRan = (shard: Shard, runId: string): ShardOutcome =>
  notStartedOutcome(shard, 'interrupted', `never started in run ${runId}`, new Date(0))

/** Copies `from` to `to` the way every report path is written (shared/write-output.ts). */
async function copyReport(from: string, to: string): Promise<void> {
  if (resolve(from) === resolve(to)) return
  await writeOutput(to, createReadStream(from))
}

/**
 * Merges the shards of a run into one JUnit report, writes it to `outPath` and its copies, and returns what it made.
 * Every planned file of every shard ends up in the report, as results or as a synthetic error case.
 */
export async function mergeRun(options: MergeRunOptions): Promise<Merged> {
  const limits: ReportLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const started = new Set(options.outcomes.map((outcome) => outcome.id))
  const unstarted = (options.planned ?? []).filter((shard) => !started.has(shard.id)).map((shard) => neverRan(shard, options.runId))
  const outcomes = [...options.outcomes, ...unstarted].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }))
  const sources: CaseSource[] = []
  const shards: ShardSummary[] = []
  const notes: string[] = []
  // One shard at a time: memory holds the merged data plus one shard's parse tree.
  for (const outcome of outcomes) {
    const read: ReadResult =
      outcome.junitPath === '' ? fail('the shard never started', 'missing') : await readShardReport(outcome.junitPath, limits)
    const workdir = options.workdirs?.[outcome.container] ?? ''
    // An unexpected failure while merging one shard must not cost the whole report: that shard becomes malformed.
    const part = await mergeShard({ outcome, read, workdir, limits }).catch((error: unknown) => {
      const message = `xtest could not merge it: ${error instanceof Error ? error.message : String(error)}`
      return mergeShard({ outcome, read: fail(message, 'unreadable'), workdir, limits })
    })
    sources.push({ label: outcome.id, suites: part.suites, run: options.runId })
    shards.push(part.summary)
    notes.push(...part.notes)
  }
  if (options.carried?.length) sources.push({ label: '--failed', suites: [...options.carried], run: options.runId })
  // Two shards never share a suite unless one forged the other's (or a plan was tampered with): the worst copy wins.
  const merged = keepWorst(addCachedSources(sources, options.cached ?? []), 'shard')
  notes.push(...merged.notes)
  const suites = options.aimed ? checkRerun(merged.suites, options.aimed.cells, options.aimed.source) : merged.suites
  const finished = finishReport(suites, options, notes)
  const report: JUnitReport = { name: `xtest run ${options.runId}`, suites: markCached(finished.suites, options.cached ?? []) }
  const written = await writeEverywhere(report, [options.outPath, ...(options.copyTo ?? [])])
  const interrupted = outcomes.some((outcome) => outcome.ended === 'interrupted')
  const summary = summarizeReport(report, { outPath: written ?? options.outPath, shards, notes, interrupted })
  return { report, summary, quarantined: finished.quarantined }
}

/**
 * Writes the report to the first path, copies it to the others. A path that cannot be written (a full disk, a
 * read-only folder) is noted and skipped: the report still lands wherever the disk allows. Returns the first
 * path written, if any.
 */
async function writeEverywhere(report: JUnitReport, paths: readonly string[]): Promise<string | undefined> {
  let written: string | undefined
  for (const path of paths) {
    try {
      if (written) await copyReport(written, path)
      else await writeJUnit(report, path)
      written ??= path
    } catch (error) {
      if (!isFsError(error)) throw error
      noteWriteFault(path, error)
    }
  }
  return written
}
