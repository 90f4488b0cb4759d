import { describe, expect, test } from 'vitest'
import type { ShardOutcome, ShardStatus } from '../../src/core/shard.js'
import type { Counts, ReadResult, RunSummary } from '../../src/report/index.js'
import { decideShardStatus, exitCodeFor } from '../../src/report/index.js'
import { outcomeOf } from '../fixtures-junit/helpers.js'

const counts = (over: Partial<Counts> = {}): Counts => ({ tests: 1, passed: 1, failed: 0, errors: 0, skipped: 0, time: 1, ...over })
const report: ReadResult = { ok: true, value: { report: { suites: [] }, notes: [] } }
const broken: ReadResult = { ok: false, kind: 'not-well-formed', message: 'not well-formed XML at line 3, column 1: Unclosed tag' }

const decide = (
  outcome: Partial<ShardOutcome>,
  read: ReadResult = report,
  over: { counts?: Counts; missing?: string[]; flaky?: boolean } = {},
) =>
  decideShardStatus({
    outcome: outcomeOf({ junitPath: '/x/junit.xml', ...outcome }),
    read,
    missing: over.missing ?? [],
    counts: over.counts ?? counts(),
    flaky: over.flaky ?? false,
  })

describe('decideShardStatus: the worse of exit code and report', () => {
  test.each<
    [string, Partial<ShardOutcome>, ReadResult, { counts?: Counts; missing?: string[]; flaky?: boolean }, ShardStatus, string | undefined]
  >([
    ['all passed', {}, report, {}, 'passed', undefined],
    ['passed after retries', {}, report, { flaky: true }, 'flaky', undefined],
    ['nothing ran in this tier', {}, report, { counts: counts({ tests: 2, passed: 0, skipped: 2 }) }, 'no-tests', undefined],
    ['a test failed, exit 1', { exitCode: 1 }, report, { counts: counts({ failed: 1 }) }, 'failed', undefined],
    ['a test failed, yet exit 0', { exitCode: 0 }, report, { counts: counts({ failed: 1 }) }, 'failed', undefined],
    ['exit 1 with all passing', { exitCode: 1 }, report, {}, 'failed', 'exit_mismatch'],
    ['exit 0 with a planned file missing', {}, report, { missing: ['src/b.test.ts'] }, 'report-malformed', 'not_reported'],
    ['exit 0 with an unusable report', {}, broken, {}, 'report-malformed', 'report_malformed'],
    ['exit 1 with an unusable report', { exitCode: 1 }, broken, {}, 'report-malformed', 'report_malformed'],
    ['signalled, exit 0, report green', { exitCode: 0, signal: 'SIGTERM' }, report, {}, 'killed', 'shard_crashed'],
    ['exit 137 without OOMKilled', { exitCode: 137 }, report, {}, 'killed', 'shard_crashed'],
    ['no exit code', { exitCode: null }, report, {}, 'killed', 'shard_crashed'],
    ['OOM', { exitCode: 137, ended: 'oom' }, report, {}, 'oom', 'oom'],
    ['timeout, even with a green report', { exitCode: 0, ended: 'timeout' }, report, {}, 'timeout', 'timeout'],
    ['interrupted', { exitCode: null, ended: 'interrupted' }, report, {}, 'interrupted', 'interrupted'],
    ['stopped by --bail', { exitCode: 143, ended: 'bail' }, report, {}, 'interrupted', 'interrupted'],
    ['engine failure', { exitCode: null, ended: 'infra', cause: 'pull access denied for amp:1.4' }, broken, {}, 'infra', 'infra'],
  ])('%s → %s', (_name, outcome, read, over, status, kind) => {
    const verdict = decide(outcome, read, over)
    expect([verdict.status, verdict.kind]).toEqual([status, kind])
  })

  test('causes are one line and name exit code, signal and the runtime cause', () => {
    expect(decide({ exitCode: 139 }).cause).toBe('crashed (exit code 139, SIGSEGV)')
    expect(decide({ exitCode: null, ended: 'infra', cause: 'pull access denied' }).cause).toBe('infrastructure failure: pull access denied')
    expect(decide({ exitCode: 137, ended: 'timeout', durationMs: 600_000 }).cause).toBe('timed out after 600.0s (exit code 137, SIGKILL)')
    expect(decide({ exitCode: 1 }).cause).toBe('exit code 1 but no test failed in its report')
    expect(decide({}, broken).cause).toBe('JUnit report unusable (exit code 0): not well-formed XML at line 3, column 1: Unclosed tag')
  })
})

describe('exitCodeFor', () => {
  test.each<[ShardStatus[], number]>([
    [[], 0],
    [['passed', 'flaky', 'no-tests'], 0],
    [['passed', 'failed'], 1],
    [['passed', 'timeout'], 1],
    [['killed'], 1],
    [['oom'], 1],
    [['report-malformed'], 1],
    [['infra', 'passed'], 3],
    [['infra', 'failed'], 1],
    [['failed', 'interrupted'], 130],
  ])('%j → %i', (statuses, code) => {
    expect(exitCodeFor(statuses)).toBe(code)
  })

  const summary = (over: Partial<RunSummary>): RunSummary => ({
    outPath: 'junit.xml',
    shards: [],
    rows: [],
    totals: counts({ tests: 0, passed: 0, time: 0 }),
    slowestFiles: [],
    failures: [],
    failureGroups: [],
    notes: [],
    interrupted: false,
    ...over,
  })
  const row = (statuses: ShardStatus[]) => ({ container: 'amp', tier: 'fast', statuses, counts: counts() })

  test('a summary: 130 only when the run was interrupted; a --bail stop is a failure', () => {
    expect(exitCodeFor(summary({ rows: [row(['failed', 'interrupted'])] }))).toBe(1)
    expect(exitCodeFor(summary({ rows: [row(['passed'])], interrupted: true }))).toBe(130)
    expect(exitCodeFor(summary({ rows: [row(['infra'])], totals: counts({ errors: 3 }) }))).toBe(3)
  })

  test('a summary without statuses (reports from elsewhere) goes by its counts', () => {
    expect(exitCodeFor(summary({ totals: counts({ failed: 1 }) }))).toBe(1)
    expect(exitCodeFor(summary({ totals: counts({ errors: 1 }) }))).toBe(1)
    expect(exitCodeFor(summary({ totals: counts() }))).toBe(0)
  })
})
