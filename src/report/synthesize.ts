// Synthetic testcases: a shard that failed outside its tests, and each planned file left without a result,
// become failing (error) cases, so that nothing leaves the merged report without a trace.

import { plainText } from '../core/printable.js'
import { resultKey } from '../core/result-key.js'
import type { ShardOutcome } from '../core/shard.js'
import { sanitizeText } from '../core/xml-text.js'
import type { LogTail } from './log-tail.js'
import type { ReportCase, ReportSuite, SyntheticKind } from './types.js'

/** `<container>/<tier>[#<slice>]`: the suite holding a shard's own synthetic case. */
export const shardSuiteName = (shard: Pick<ShardOutcome, 'container' | 'tier' | 'slice'>): string =>
  `${shard.container}/${shard.tier}${shard.slice === undefined ? '' : `#${shard.slice}`}`

/** The merged suite of one test file: its result key (core/result-key.ts). */
export const fileSuiteName = (shard: Pick<ShardOutcome, 'container' | 'tier'>, file: string): string =>
  resultKey(shard.container, shard.tier, file)

export interface ShardCaseInput {
  outcome: ShardOutcome
  kind: SyntheticKind
  cause: string
  /** Planned files without a result. */
  missing: readonly string[]
  /** Planned files whose results came from progress.ndjson (the JUnit lacked them). */
  salvaged?: readonly string[]
  /** The tail of output.log, or undefined when there is none. */
  logTail: LogTail | undefined
  maxTextBytes: number
}

const syntheticCase = (classname: string, kind: SyntheticKind, message: string, body: string, maxTextBytes: number): ReportCase => ({
  classname,
  name: `[xtest] ${kind}`,
  time: 0,
  result: 'error',
  fault: { type: `xtest.${kind}`, message: sanitizeText(message, maxTextBytes), body: sanitizeText(body, maxTextBytes) },
  properties: [],
})

/** The shard's own case: the cause, the files without a result, and the tail of its log in system-out. */
export function synthesizeShardCase({ outcome, kind, cause, missing, salvaged = [], logTail, maxTextBytes }: ShardCaseInput): ReportCase {
  const list = (files: readonly string[]): string => files.map((file) => `  ${file}`).join('\n')
  let files =
    missing.length === 0
      ? 'Every planned file has a result in the report.'
      : `${missing.length} of ${outcome.files.length} planned file(s) have no result:\n${list(missing)}`
  if (salvaged.length > 0)
    files += `\n${salvaged.length} file(s) finished before the shard ended; their results come from progress.ndjson (its passes are unverified):\n${list(salvaged)}`
  const diagnosis = outcome.diagnosis
  const said = [
    ...(diagnosis?.lines.length ? ['Vitest said:', ...diagnosis.lines.map((line) => `  ${line}`)] : []),
    ...(diagnosis?.hint ? [`hint: ${diagnosis.hint}`] : []),
  ]
  const body = [
    `shard ${outcome.id}: ${cause}`,
    ...said,
    `command: ${outcome.command.join(' ')}`,
    `duration: ${(outcome.durationMs / 1000).toFixed(1)}s, JUnit: ${outcome.junitPath}, log: ${outcome.logPath}`,
    files,
  ].join('\n')
  const testCase = syntheticCase(shardSuiteName(outcome), kind, `${outcome.id}: ${cause}`, body, maxTextBytes)
  const header =
    logTail === undefined
      ? `[xtest] no output log${outcome.logPath ? ` at ${outcome.logPath}` : ''}`
      : `[xtest] ${logTail.partial ? `last ${logTail.lines} lines` : 'all'} of ${outcome.logPath}:`
  // Colours and cursor moves are noise in a report: the tail goes in as plain text.
  testCase.systemOut = sanitizeText(logTail === undefined ? header : `${header}\n${plainText(logTail.text)}`, maxTextBytes)
  return testCase
}

export interface FileCaseInput {
  outcome: ShardOutcome
  file: string
  /** `not_reported` when the shard's own kind says nothing about the file (exit_mismatch, not_reported). */
  kind: SyntheticKind
  /** The kind of the shard's own case, which holds the log. */
  shardKind: SyntheticKind
  cause: string
  maxTextBytes: number
  /** Tests of the file that finished before the shard ended (kept from progress.ndjson): the file was still running. */
  finishedTests?: number
}

/** The case standing in for one planned file that has no result; the log is in the shard's case. */
export function synthesizeFileCase({ outcome, file, kind, shardKind, cause, maxTextBytes, finishedTests }: FileCaseInput): ReportCase {
  const message =
    finishedTests === undefined
      ? `no result for ${file} (shard ${outcome.id}: ${cause})`
      : `${file} was still running when the shard ended, after ${finishedTests} finished test(s) (shard ${outcome.id}: ${cause})`
  const body = `${message}\nThe log tail is in the testcase "[xtest] ${shardKind}" of suite ${shardSuiteName(outcome)}.`
  return syntheticCase(fileSuiteName(outcome, file), kind, message, body, maxTextBytes)
}

export interface NotRerunInput {
  container: string
  tier: string
  /** The cell's file; undefined for a failure tied to no file (its suite's name stands for it). */
  file?: string
  suite: string
  /** Why `--failed` could not re-run it. */
  why: string
  /** The report it failed in. */
  source: string
  maxTextBytes: number
}

/** A failure `--failed` could not re-run, carried into the re-run's report so that the re-run stays red. */
export function synthesizeNotRerun({ container, tier, file, suite, why, source, maxTextBytes }: NotRerunInput): ReportSuite {
  const name = file === undefined ? suite : resultKey(container, tier, file)
  const message = `${file ?? suite} failed in ${source} and was not re-run: ${why}`
  const body = `${message}\nIt keeps this re-run failed: run it (fix the plan, or run everything) to clear it.`
  return {
    name,
    ...(file !== undefined && { file }),
    time: 0,
    properties: [
      { name: 'container', value: container },
      { name: 'tier', value: tier },
      { name: 'cause', value: sanitizeText(`not re-run: ${why}`, maxTextBytes) },
    ],
    cases: [syntheticCase(name, 'not_rerun', message, body, maxTextBytes)],
  }
}
