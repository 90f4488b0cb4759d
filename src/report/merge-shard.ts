// One shard's part of the merged report: its files' suites renamed `<container>/<tier>/<file>`, its verdict,
// and synthetic cases for whatever its JUnit does not account for.

import { countSuites } from '../core/junit-report.js'
import { PROGRESS_FILE, progressBeside } from '../core/progress.js'
import type { ShardOutcome } from '../core/shard.js'
import { accountFiles } from './account.js'
import { readLogTail } from './log-tail.js'
import { readProgress } from './progress-read.js'
import { type SalvagedFile, salvageFile } from './salvage.js'
import { SALVAGED } from './salvaged-suites.js'
import { fileSuiteName, shardSuiteName, synthesizeFileCase, synthesizeShardCase } from './synthesize.js'
import type { ReadResult, ReportLimits, ReportProperty, ReportSuite, ShardSummary, SyntheticKind } from './types.js'
import { decideShardStatus, signalOf, type Verdict } from './verdict.js'
import { FELL_BACK_IMAGE, FELL_BACK_REASON, WHERE_RAN_PROPERTIES } from './where-ran.js'

export interface ShardReport {
  suites: ReportSuite[]
  summary: ShardSummary
  notes: string[]
}

export interface MergeShardInput {
  outcome: ShardOutcome
  read: ReadResult
  /** The container's working directory relative to the config root (Vitest names files relative to it). */
  workdir?: string
  limits: ReportLimits
}

/** The properties every merged suite of a shard carries. */
function shardProperties(outcome: ShardOutcome, verdict: Verdict): ReportProperty[] {
  const entries: Array<[string, string | number | undefined]> = [
    ['container', outcome.container],
    ['tier', outcome.tier],
    ['slice', outcome.slice],
    ['shard', outcome.id],
    ['status', verdict.status],
    ['cause', verdict.cause],
    // A shard that never started ran nowhere.
    ['runtime', outcome.command.length > 0 ? outcome.runtime : undefined],
    ['host_node', outcome.hostNode],
    ['image', outcome.image],
    [FELL_BACK_IMAGE, outcome.fellBack?.image],
    [FELL_BACK_REASON, outcome.fellBack?.reason],
    ['image_id', outcome.imageId],
    ['exit_code', outcome.exitCode ?? 'none'],
    ['signal', signalOf(outcome)],
    ['duration_ms', outcome.durationMs],
    ['log', outcome.logPath],
    ['started_at', outcome.startedAt],
  ]
  return entries
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([name, value]) => ({ name, value: String(value) }))
}

// Ours first; a reporter's own properties follow unless they repeat one of ours (or pose as salvaged or as where it ran).
const withOwnProperties = (ours: ReportProperty[], theirs: readonly ReportProperty[]): ReportProperty[] => {
  const names = new Set<string>([...ours.map(({ name }) => name), SALVAGED, ...WHERE_RAN_PROPERTIES])
  return [...ours, ...theirs.filter(({ name }) => !names.has(name))]
}

function mergeFileSuites(name: string, file: string, found: readonly ReportSuite[], properties: ReportProperty[]): ReportSuite {
  const [first] = found
  const suite: ReportSuite = {
    name,
    file,
    time: found.reduce((sum, each) => sum + each.time, 0),
    properties: withOwnProperties(
      properties,
      found.flatMap((each) => each.properties),
    ),
    cases: found.flatMap((each) => each.cases.map((testCase) => ({ ...testCase, classname: file }))),
  }
  if (first?.timestamp) suite.timestamp = first.timestamp
  if (first?.hostname) suite.hostname = first.hostname
  const systemOut = found.flatMap((each) => each.systemOut ?? []).join('\n')
  if (systemOut !== '') suite.systemOut = systemOut
  const systemErr = found.flatMap((each) => each.systemErr ?? []).join('\n')
  if (systemErr !== '') suite.systemErr = systemErr
  return suite
}

// For the planned files the JUnit lacks: what the progress log says they finished (nothing for a shard never started).
async function salvageMissing(
  outcome: ShardOutcome,
  missing: readonly string[],
  workdir: string,
): Promise<{ salvaged: Map<string, SalvagedFile>; notes: string[] }> {
  const salvaged = new Map<string, SalvagedFile>()
  if (missing.length === 0 || outcome.junitPath === '') return { salvaged, notes: [] }
  const progress = await readProgress(progressBeside(outcome.junitPath), outcome.files, workdir)
  for (const file of missing) {
    const found = salvageFile(file, progress.files.get(file))
    if (found !== undefined) salvaged.set(file, found)
  }
  return { salvaged, notes: progress.notes }
}

/** Merges one shard: accounting, verdict, suites and synthetic cases. Reads output.log only when it is needed. */
export async function mergeShard({ outcome, read, workdir, limits }: MergeShardInput): Promise<ShardReport> {
  const { byFile, unplanned, missing } = accountFiles(read.ok ? read.value.report : undefined, outcome.files, workdir)
  const reported = [...[...byFile.values()].flat(), ...unplanned]
  const realCounts = countSuites(reported)
  const flaky = reported.some((suite) => suite.cases.some((testCase) => testCase.flaky))
  // The verdict goes by the JUnit alone: results salvaged from the progress log are kept, never make a shard greener.
  const verdict = decideShardStatus({ outcome, read, missing, counts: realCounts, flaky })
  const { salvaged, notes: progressNotes } = await salvageMissing(outcome, missing, workdir ?? '')
  const finished = missing.filter((file) => salvaged.get(file)?.finished === true)
  const unfinished = missing.filter((file) => salvaged.get(file)?.finished !== true)
  const properties = shardProperties(outcome, verdict)
  const suites: ReportSuite[] = []
  const shardKind: SyntheticKind | undefined = verdict.kind ?? (missing.length > 0 ? 'not_reported' : undefined)
  const cause = verdict.cause ?? `${missing.length} planned file(s) missing from its report`
  if (shardKind !== undefined) {
    const logTail = await readLogTail(outcome.logPath, limits.logTailLines, limits.maxTextBytes)
    const testCase = synthesizeShardCase({
      outcome,
      kind: shardKind,
      cause,
      missing: unfinished,
      salvaged: finished,
      logTail,
      maxTextBytes: limits.maxTextBytes,
    })
    suites.push({ name: shardSuiteName(outcome), time: 0, properties, cases: [testCase] })
  }
  const fileKind: SyntheticKind = shardKind === 'exit_mismatch' || shardKind === undefined ? 'not_reported' : shardKind
  for (const file of outcome.files) {
    const name = fileSuiteName(outcome, file)
    const found = byFile.get(file)
    if (found !== undefined) {
      suites.push(mergeFileSuites(name, file, found, properties))
      continue
    }
    const kept = salvaged.get(file)
    const salvagedProperties = kept === undefined ? properties : [...properties, { name: SALVAGED, value: PROGRESS_FILE }]
    if (kept?.finished) {
      suites.push({ name, file, time: 0, properties: salvagedProperties, cases: kept.cases })
      continue
    }
    const testCase = synthesizeFileCase({
      outcome,
      file,
      kind: fileKind,
      shardKind: shardKind ?? fileKind,
      cause,
      maxTextBytes: limits.maxTextBytes,
      finishedTests: kept?.cases.length,
    })
    suites.push({ name, file, time: 0, properties: salvagedProperties, cases: [...(kept?.cases ?? []), testCase] })
  }
  for (const suite of unplanned) {
    suites.push({ ...suite, name: fileSuiteName(outcome, suite.name), properties: withOwnProperties(properties, suite.properties) })
  }
  const notes = [
    ...(read.ok ? read.value.notes : []),
    ...progressNotes,
    ...(finished.length === 0
      ? []
      : [
          `kept the results of ${finished.length} file(s) that finished before the shard ended (from progress.ndjson: failures stay, passes are unverified)`,
        ]),
    // Kept suites need no note, unless planned files went missing at the same time (a naming mismatch?).
    ...(missing.length === 0 ? [] : unplanned.map((suite) => `suite "${suite.name}" names no planned file of the shard; kept as is`)),
  ].map((note) => `${outcome.id}: ${note}`)
  const summary: ShardSummary = {
    id: outcome.id,
    container: outcome.container,
    tier: outcome.tier,
    status: verdict.status,
    exitCode: outcome.exitCode,
    durationMs: outcome.durationMs,
    counts: countSuites(suites),
    unreportedFiles: unfinished,
  }
  if (outcome.slice !== undefined) summary.slice = outcome.slice
  const signal = signalOf(outcome)
  if (signal !== undefined) summary.signal = signal
  if (shardKind !== undefined) summary.cause = cause
  return { suites, summary, notes }
}
