// A shard's status from what happened to its process and what its JUnit says: the worse of the two wins.

import type { ShardOutcome, ShardStatus } from '../core/shard.js'
import { signalOfExitCode } from '../core/signals.js'
import type { Counts, ReadResult, SyntheticKind } from './types.js'

export interface Verdict {
  status: ShardStatus
  /** Set when the shard failed outside its tests: the kind of its synthetic case. */
  kind?: SyntheticKind
  /** One line for the synthetic case and the summary. */
  cause?: string
}

export interface VerdictInput {
  outcome: ShardOutcome
  read: ReadResult
  /** Planned files with no result in the report. */
  missing: readonly string[]
  /** Counts of the real (reported) cases. */
  counts: Counts
  flaky: boolean
}

/** The signal a shard died of: named by the runtime, or read from a shell-style exit code 128+n. */
export function signalOf(outcome: Pick<ShardOutcome, 'exitCode' | 'signal'>): string | undefined {
  return outcome.signal || (signalOfExitCode(outcome.exitCode) ?? undefined)
}

const exitText = (outcome: ShardOutcome): string => {
  const signal = signalOf(outcome)
  const code = outcome.exitCode === null ? 'no exit code' : `exit code ${outcome.exitCode}`
  return signal ? `${code}, ${signal}` : code
}

const withCause = (text: string, outcome: ShardOutcome): string => (outcome.cause ? `${text}: ${outcome.cause}` : text)

/** Decides one shard's status from the closed set; a signalled or timed-out shard is never passed. */
export function decideShardStatus({ outcome, read, missing, counts, flaky }: VerdictInput): Verdict {
  const exit = exitText(outcome)
  switch (outcome.ended) {
    case 'infra':
      return { status: 'infra', kind: 'infra', cause: withCause('infrastructure failure', outcome) }
    case 'interrupted':
      return { status: 'interrupted', kind: 'interrupted', cause: withCause(`interrupted (${exit})`, outcome) }
    case 'bail':
      return { status: 'interrupted', kind: 'interrupted', cause: withCause(`stopped by --bail (${exit})`, outcome) }
    case 'timeout': {
      const after = `timed out after ${(outcome.durationMs / 1000).toFixed(1)}s (${exit})`
      return { status: 'timeout', kind: 'timeout', cause: withCause(after, outcome) }
    }
    case 'oom':
      return { status: 'oom', kind: 'oom', cause: withCause(`out of memory (${exit})`, outcome) }
    case 'output-limit':
      return { status: 'killed', kind: 'shard_crashed', cause: withCause(`stopped (${exit})`, outcome) }
    default:
      break
  }
  if (signalOf(outcome) !== undefined || outcome.exitCode === null) {
    return { status: 'killed', kind: 'shard_crashed', cause: withCause(`crashed (${exit})`, outcome) }
  }
  if (!read.ok) {
    // What Vitest printed comes first when the shard's log said why.
    const cause =
      outcome.diagnosis && outcome.cause
        ? `${outcome.cause} (${exit}; ${read.message})`
        : `JUnit report unusable (${exit}): ${read.message}`
    return { status: 'report-malformed', kind: 'report_malformed', cause }
  }
  const failing = counts.failed + counts.errors
  if (outcome.exitCode !== 0 && failing === 0) {
    return { status: 'failed', kind: 'exit_mismatch', cause: withCause(`${exit} but no test failed in its report`, outcome) }
  }
  if (failing > 0) return { status: 'failed' }
  if (missing.length > 0) {
    return {
      status: 'report-malformed',
      kind: 'not_reported',
      cause: `${missing.length} planned file(s) missing from its report (${exit})`,
    }
  }
  if (counts.passed === 0) return { status: 'no-tests' }
  return { status: flaky ? 'flaky' : 'passed' }
}
