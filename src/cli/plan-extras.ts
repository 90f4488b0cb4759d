// What `xtest plan` adds for CI parts and test health: `--save FILE` writes the plan record (plan.json,
// with its weights and hash) that the parts run with `--plan` and the merge checks against; `--flaky` lists the
// tests whose recent history mixes passes and failures.
import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import { findFlaky } from '../finish/flaky-tests.js'
import type { PlanRecord } from '../plan/plan-record.js'
import { formatTable } from '../shared/table.js'
import { writeOutput } from '../shared/write-output.js'
import { historyPathOf, loadHistory } from '../store/history.js'
import { timingsPathOf } from '../store/timings.js'

/** Writes the plan record to `file` (shared/write-output.ts); returns the hash. */
export async function savePlan(file: string, record: PlanRecord): Promise<string> {
  await writeOutput(path.resolve(file), `${JSON.stringify(record, null, 1)}\n`)
  return record.hash
}

/** `xtest plan --flaky`: the flaky tests of the history, highest flake rate first. */
export function formatFlaky(config: ResolvedConfig, warn: (line: string) => void): string {
  const file = historyPathOf(timingsPathOf(config))
  const history = loadHistory(file, warn)
  const flaky = findFlaky(history)
  const tests = Object.keys(history.tests).length
  if (flaky.length === 0)
    return `no flaky tests: none of ${tests} test(s) mixes passes and failures in its recent runs (${history.runs} run(s) recorded)`
  const rows = flaky.map((entry) => [`${Math.round(entry.rate * 100)}%`, entry.recent, entry.test])
  return `${formatTable(['flake rate', 'recent (oldest first)', 'test'], rows)}\n${flaky.length} flaky of ${tests} test(s) over the last ${history.runs} run(s); P passed, F failed, R passed on retry, S skipped`
}
