// The work of `xtest run` and what it adds to the run: `--failed` re-runs, the plan hash and part for
// `xtest merge`, a warning when parts of one split were cut from different plans, and the quarantine warnings.
// Lines go to `notice` (the CLI prints them on stderr as `xtest: …`) and the request's `warn`.
import path from 'node:path'
import { XtestError } from '../core/errors.js'
import { describeChanged, describePart } from '../plan/describe.js'
import { prepareFailed } from '../plan/failed.js'
import { groupIssues } from '../plan/group-issues.js'
import type { ShardPart } from '../plan/shard-split.js'
import type { Shard } from '../plan/types.js'
import { prepareWork, throwPlanErrors, type Work } from '../plan/work.js'
import { readFailedReport } from '../report/failed-cells.js'
import type { MergeRunOptions, ReportSuite } from '../report/index.js'
import { findOtherOpenSplits } from '../store/part-timings.js'
import { timingsPathOf } from '../store/timings.js'
import { withRecordedInputs } from './cache/recorded-inputs.js'
import { checkQuarantine } from './quarantine-check.js'
import type { RunRequest } from './request.js'

export interface RunWork {
  work: Work
  /** What this run adds to its merged report: the plan hash and part, the run a `--failed` re-run completes, its carried failures. */
  adds: { planHash: string; part?: ShardPart; completes?: string; carried?: readonly ReportSuite[]; aimed?: MergeRunOptions['aimed'] }
  argsFor?(shard: Shard): string[]
}

/**
 * Request → the work of this run, or the line that says why there is nothing to run: exit 0 when the --failed report
 * has no failure, 1 when none of its failures can be re-run (they still fail).
 */
export async function prepareRunWork(
  request: RunRequest,
  notice: (line: string) => void,
): Promise<RunWork | { nothing: string; exitCode: 0 | 1 }> {
  const { config, warn } = request
  const source = request.failed
  const failed = source === undefined ? undefined : await prepareFailed({ ...request, failed: source, ...(await readFailedReport(source)) })
  if (failed?.empty) {
    if (failed.unplacedLine !== undefined) return { nothing: failed.unplacedLine, exitCode: 1 }
    return { nothing: `nothing to re-run: ${path.relative(process.cwd(), failed.source) || failed.source} has no failed test`, exitCode: 0 }
  }
  if (failed?.unplacedLine !== undefined) warn(failed.unplacedLine)
  const work = failed?.work ?? (await prepareWork(withRecordedInputs(request)))
  const { full, prepared } = work
  const noFiles = full.warnings.find((w) => w.code === 'XTEST_NO_TEST_FILES')
  if (noFiles && !request.passWithNoTests && !request.vitestArgs.includes('--passWithNoTests')) {
    throw new XtestError(`${noFiles.message}; pass --passWithNoTests to accept that`, 'XTEST_NO_TEST_FILES')
  }
  for (const line of groupIssues(full.warnings)) warn(line)
  throwPlanErrors(full)
  for (const line of checkQuarantine(config, full)) warn(line)
  const planHash = work.planHash ?? prepared.record.hash
  if (failed)
    notice(
      `re-running the failed tests of ${failed.completes}: ${prepared.plan.shards.reduce((n, s) => n + s.files.length, 0)} file(s) in ${prepared.plan.shards.length} shard(s)`,
    )
  if (prepared.changed) notice(describeChanged(prepared.changed, full.files.length))
  const part = prepared.shard
  if (part) {
    notice(describePart(prepared, part))
    const others = findOtherOpenSplits(timingsPathOf(config), { planHash, ...part })
    if (others.length > 0) {
      warn(
        `part(s) ${others.map((i) => `${i}/${part.count}`).join(', ')} ran here with another plan (timings, files or config changed since), so this part may overlap them: run all ${part.count} parts again, or repeat them with --plan <their run folder>/plan.json`,
      )
    }
  }
  const adds = {
    planHash,
    ...(part && { part }),
    ...(failed && { completes: failed.completes, carried: failed.carried, aimed: failed.aimed }),
  }
  return { work, adds, ...(failed && { argsFor: failed.argsFor }) }
}
