// The work of `xtest run` and what it adds to the run (issue 14): `--failed` re-runs, the plan hash and part for
// `xtest merge`, a warning when parts of one split were cut from different plans, and the quarantine warnings.
import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import type { Shard } from '../plan/types.js'
import { TIERS, type Tier } from '../core/tiers.js'
import { findOtherOpenSplits } from '../plan/io/part-timings.js'
import { timingsPathOf } from '../plan/io/timings-store.js'
import { groupIssues } from '../plan/group-issues.js'
import { XtestError } from '../core/errors.js'
import type { Output } from '../shared/output.js'
import { prepareFailed } from './failed-work.js'
import { describeChanged, describePart } from './format-scale.js'
import { prepareWork, type Work, type WorkOptions } from './prepare-work.js'
import { checkQuarantine } from './quarantine-check.js'
import { runExtras, type RunExtras } from './run-extras.js'
import { throwPlanErrors } from './commands/plan.js'

export interface RunWork {
  /** Set when there is nothing to run: the line that says why (exit 0). */
  nothing?: string
  work: Work
  extras: RunExtras
  argsFor?(shard: Shard): string[]
}

/** Options → the work of this run, with its lines on stderr (plan warnings, part, --changed, --failed). */
export async function prepareRunWork(config: ResolvedConfig, options: WorkOptions & { all?: boolean; failed?: unknown; passWithNoTests?: boolean; '--'?: string[] }, out: Output, warn: (line: string) => void): Promise<RunWork | { nothing: string }> {
  const failed = options.failed === undefined || options.failed === false ? undefined : await prepareFailed(config, options, warn)
  if (failed?.empty) return { nothing: `nothing to re-run: ${path.relative(process.cwd(), failed.source) || failed.source} has no failed test that the current plan runs` }
  const tiers: Tier[] = options.all ? [...TIERS] : ['fast']
  const work = failed?.work ?? await prepareWork(config, options, tiers, warn)
  const { full, prepared } = work
  const noFiles = full.warnings.find((w) => w.code === 'XTEST_NO_TEST_FILES')
  if (noFiles && !options.passWithNoTests && !options['--']?.includes('--passWithNoTests')) {
    throw new XtestError(`${noFiles.message}; pass --passWithNoTests to accept that`, 'XTEST_NO_TEST_FILES')
  }
  for (const line of groupIssues(full.warnings)) warn(line)
  throwPlanErrors(full)
  for (const line of checkQuarantine(config, full)) warn(line)
  const planHash = work.planHash ?? prepared.record.hash
  if (failed) out.stderr.write(`xtest: re-running the failed tests of ${failed.completes}: ${prepared.plan.shards.reduce((n, s) => n + s.files.length, 0)} file(s) in ${prepared.plan.shards.length} shard(s)\n`)
  if (prepared.changed) out.stderr.write(`xtest: ${describeChanged(prepared.changed, full.files.length)}\n`)
  const part = prepared.shard
  if (part) {
    out.stderr.write(`xtest: ${describePart(prepared, part)}\n`)
    const others = findOtherOpenSplits(timingsPathOf(config), { planHash, ...part })
    if (others.length > 0) {
      warn(`part(s) ${others.map((i) => `${i}/${part.count}`).join(', ')} ran here with another plan (timings, files or config changed since), so this part may overlap them: run all ${part.count} parts again, or repeat them with --plan <their run folder>/plan.json`)
    }
  }
  const extras = runExtras({ config, planHash, ...(part && { part }), ...(failed && { completes: failed.completes }), warn })
  return { work, extras, ...(failed && { argsFor: failed.argsFor }) }
}
