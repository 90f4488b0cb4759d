// Failures grouped by message (one cause, many tests), synthetic failures explained in words, skips grouped by
// reason, flaky tests: what a person reads first after a red run.
import { failureExcerpt } from '../failure-excerpt.js'
import { propertyOf } from '../run-properties.js'
import { findLine } from '../summarize.js'
import { shardKeyOf } from '../timeline.js'
import type { ReportCase, ReportSuite } from '../types.js'

export interface HtmlFailure {
  container: string
  tier: string
  file?: string
  line?: number
  name: string
  result: 'failed' | 'error'
  type: string
  message: string
  body: string
  /** The body as a summary shows it: message, whole diff, the test's own frames (report/failure-excerpt.ts). */
  excerpt: string
  /** The synthetic kind (`shard_crashed`, `timeout`, ...) of xtest's own error cases. */
  synthetic?: string
  /** The system-out of the case (for xtest's shard cases: the shard's log tail). */
  output?: string
  shardKey?: string
}

export interface Group<T> {
  key: string
  items: T[]
}

export interface SkipGroup {
  reason: string
  count: number
  containers: string[]
  tiers: string[]
}

/** What each kind of xtest's synthetic error case means, in words. */
export const SYNTHETIC_EXPLANATIONS: Record<string, string> = {
  shard_crashed:
    "The shard's Vitest process died (crashed or was killed by a signal) before it finished its report, so its unfinished tests have no result. Its last log lines show what it printed last.",
  timeout: "The shard ran past its tier's time budget and was stopped; tests that had not finished have no result.",
  oom: "The shard's container ran out of memory (it hit its memory limit) and was killed.",
  interrupted: 'The run was interrupted (Ctrl-C, SIGTERM or --bail) before this shard finished, or before it started.',
  infra: 'xtest could not run this shard (engine, image or build problem): an infrastructure failure, not a test result.',
  report_malformed: 'The shard left no usable JUnit report (missing, not well-formed, or refused), so its results are unknown.',
  exit_mismatch: "Every test in the shard's report passed, yet its process exited with a failure code.",
  not_reported: "A planned test file has no result in the shard's report: it was never run or its result was lost.",
  not_rerun:
    'A failure of the report that `xtest run --failed` re-ran could not be placed in the current plan (file moved or deleted, another project, outside --container/--tier): it was not re-run, so it still fails.',
}

/** The kind of an xtest synthetic case (`xtest.timeout` → `timeout`), if it is one. */
const syntheticKind = (type: string): string | undefined =>
  type.startsWith('xtest.') && SYNTHETIC_EXPLANATIONS[type.slice(6)] !== undefined ? type.slice(6) : undefined

const MAX_BODY = 4000
const cap = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}\n… (${text.length - max} more characters in the JUnit file)`

// Numbers in a message (ids, durations, addresses) would split one cause into many groups: only the first line counts.
const groupKeyOf = (failure: HtmlFailure): string =>
  failure.synthetic !== undefined
    ? `xtest.${failure.synthetic}`
    : (failure.message.split('\n')[0] ?? '').trim() || `(no message: ${failure.type || failure.result})`

export function toFailure(suite: ReportSuite, testCase: ReportCase): HtmlFailure {
  const fault = testCase.fault ?? { message: '', type: '', body: '' }
  const failure: HtmlFailure = {
    container: propertyOf(suite, 'container') ?? '-',
    tier: propertyOf(suite, 'tier') ?? '-',
    name: testCase.name,
    result: testCase.result === 'error' ? 'error' : 'failed',
    type: fault.type,
    message: cap(fault.message, 1000),
    body: cap(fault.body, MAX_BODY),
    excerpt: failureExcerpt(fault.body || fault.message),
  }
  if (suite.file !== undefined) {
    failure.file = suite.file
    const line = findLine(suite.file, fault.body)
    if (line !== undefined) failure.line = line
  }
  const kind = syntheticKind(fault.type)
  if (kind !== undefined) failure.synthetic = kind
  if (testCase.systemOut) failure.output = cap(testCase.systemOut, MAX_BODY)
  const shardKey = shardKeyOf(suite)
  if (shardKey !== undefined) failure.shardKey = shardKey
  return failure
}

/** Groups by first message line: the tests' own first, then xtest's; biggest group first; items keep report order. */
export function groupFailures(failures: readonly HtmlFailure[]): Group<HtmlFailure>[] {
  const groups = new Map<string, HtmlFailure[]>()
  for (const failure of failures) {
    const key = groupKeyOf(failure)
    const items = groups.get(key)
    if (items === undefined) groups.set(key, [failure])
    else items.push(failure)
  }
  const own = (group: Group<HtmlFailure>): number => (group.items[0]?.synthetic === undefined ? 0 : 1)
  return [...groups].map(([key, items]) => ({ key, items })).sort((a, b) => own(a) - own(b) || b.items.length - a.items.length)
}

/** Skips by reason: `missing module 'opt-solver' (container amp)`: 12 tests. */
export function groupSkips(suites: readonly ReportSuite[]): SkipGroup[] {
  const groups = new Map<string, SkipGroup>()
  for (const suite of suites) {
    const container = propertyOf(suite, 'container') ?? '-'
    const tier = propertyOf(suite, 'tier') ?? '-'
    for (const testCase of suite.cases) {
      if (testCase.result !== 'skipped') continue
      const reason = testCase.skipMessage?.trim() || '(no reason given)'
      let group = groups.get(reason)
      if (group === undefined) groups.set(reason, (group = { reason, count: 0, containers: [], tiers: [] }))
      group.count++
      if (!group.containers.includes(container)) group.containers.push(container)
      if (!group.tiers.includes(tier)) group.tiers.push(tier)
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count)
}
