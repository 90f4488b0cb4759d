// The run's exit code from its shards' verdicts, decided once for the run, merge and library alike.

import { ExitCode, type ExitCodeValue } from '../core/exit-codes.js'
import type { ShardStatus } from '../core/shard.js'
import type { RunSummary } from './types.js'

const GREEN: ReadonlySet<ShardStatus> = new Set(['passed', 'flaky', 'no-tests'])

const isStatusList = (input: RunSummary | readonly ShardStatus[]): input is readonly ShardStatus[] => Array.isArray(input)

// Interrupted is handled by the callers; here it only means "did not finish" (a shard stopped by --bail): a failure.
function exitCodeForStatuses(statuses: readonly ShardStatus[]): ExitCodeValue {
  if (statuses.some((status) => !GREEN.has(status) && status !== 'infra')) return ExitCode.testsFailed
  if (statuses.includes('infra')) return ExitCode.infra
  return ExitCode.ok
}

/**
 * The run's exit code: 130 interrupted; 1 when a test failed or a shard crashed, timed out, was killed, ran out of
 * memory or left no usable report, or when a test's result is unverified (salvaged); 3 when only infrastructure failed; 0 when every shard is passed, flaky or no-tests.
 *
 * Given bare statuses, any `interrupted` means 130. Given a summary, 130 means the run itself was interrupted
 * (Ctrl-C, SIGTERM), while a shard stopped by --bail counts as failed. A summary without statuses (`xtest merge`
 * of reports made by other tools) goes by its failure and error counts.
 */
export function exitCodeFor(input: RunSummary | readonly ShardStatus[]): ExitCodeValue {
  if (isStatusList(input)) return input.includes('interrupted') ? ExitCode.interrupted : exitCodeForStatuses(input)
  if (input.interrupted) return ExitCode.interrupted
  // A row whose only failing cases are quarantined failed because of them alone (any other cause adds a case).
  const onlyQuarantined = (row: RunSummary['rows'][number]) =>
    (row.quarantined ?? 0) > 0 && row.counts.failed + row.counts.errors <= row.quarantined!
  const statuses = input.rows.flatMap((row) => (onlyQuarantined(row) ? row.statuses.filter((status) => status !== 'failed') : row.statuses))
  const code = exitCodeForStatuses(statuses)
  const failing = input.totals.failed + input.totals.errors - (input.quarantined?.length ?? 0) > 0
  // Salvaged results are the crashed shard's own word, and xtest's own cases say something went wrong: never a pass.
  const apart = (input.totals.unverified ?? 0) + (input.totals.shardErrors ?? 0)
  // Coverage thresholds hold for the merged coverage only (a shard alone below them fails nothing).
  const belowThreshold = (input.coverage?.failures.length ?? 0) > 0
  return code === ExitCode.ok && (failing || apart > 0 || belowThreshold) ? ExitCode.testsFailed : code
}
