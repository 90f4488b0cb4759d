// Per-file synthetic cases grouped by cause: a missing image or a crashed shard leaves one error case per planned
// file in the JUnit (nothing is lost there), but a terminal or a CI summary needs one line per cause, with a count
// and a few example files, not a hundred lines that all say the same thing.
import { line } from '../core/printable.js'
import type { FailureGroup, FailureInfo, ReportCase, ReportSuite, SyntheticKind } from './types.js'

const KINDS: ReadonlySet<string> = new Set<SyntheticKind>([
  'shard_crashed',
  'timeout',
  'oom',
  'interrupted',
  'infra',
  'report_malformed',
  'exit_mismatch',
  'not_reported',
  'part_missing',
  'not_rerun',
])

/** Examples kept per group. */
const GROUP_EXAMPLES = 3

/** xtest's stand-in for a file without a result: `[xtest] <kind>` with an `xtest.<kind>` error, in a file's suite. */
export function isFileStandIn(suite: ReportSuite, testCase: ReportCase): boolean {
  if (suite.file === undefined || testCase.result !== 'error' || !testCase.name.startsWith('[xtest] ')) return false
  const kind = testCase.name.slice('[xtest] '.length)
  return KINDS.has(kind) && testCase.fault?.type === `xtest.${kind}`
}

/** A failure that is xtest's own (a shard that crashed or timed out, a failure not re-run), not a test's. */
export const isXtestFailure = (failure: Pick<FailureInfo, 'type' | 'name'>): boolean =>
  failure.type.startsWith('xtest.') && failure.name.startsWith('[xtest] ')

export class FailureGrouper {
  private readonly groups = new Map<string, FailureGroup>()

  /** Adds one stand-in case; its cause is the shard's `cause` property (the same for all its files), else its message. */
  add(suite: ReportSuite, testCase: ReportCase, container: string, tier: string): void {
    const type = testCase.fault?.type ?? ''
    const cause = suite.properties.find((each) => each.name === 'cause')?.value ?? testCase.fault?.message ?? ''
    const key = `${type}\u0000${cause}`
    let group = this.groups.get(key)
    if (group === undefined) this.groups.set(key, (group = { type, cause, count: 0, examples: [] }))
    group.count++
    if (group.examples.length < GROUP_EXAMPLES) group.examples.push({ container, tier, file: suite.file ?? suite.name })
  }

  /** Largest group first. */
  result(): FailureGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count)
  }
}

/** `12 file(s) without a result (xtest.infra): <cause>; e.g. ghost/fast a.test.ts, … and 9 more`. */
export function describeGroup(group: FailureGroup): string {
  const examples = group.examples.map((each) => (each.container === '-' ? each.file : `${each.container}/${each.tier} ${each.file}`))
  const more = group.count - group.examples.length
  const eg = `e.g. ${examples.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
  return line`${group.count} file(s) without a result (${group.type}): ${group.cause}; ${eg}`
}
