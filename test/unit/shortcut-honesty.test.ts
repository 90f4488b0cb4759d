import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { listWork, type Weights } from '../../src/plan/balance.js'
import { placeFailed } from '../../src/plan/failed.js'
import { splitShards } from '../../src/plan/shard-split.js'
import { checkRerun, failedCells } from '../../src/report/failed-cells.js'
import {
  exitCodeFor,
  formatSummaryMarkdown,
  formatSummaryText,
  type JUnitReport,
  type MergePlan,
  mergeParts,
  mergeRun,
  type ReportSuite,
  readJUnit,
  renderHtmlReport,
  summarizeReport,
  testOutcomes,
} from '../../src/report/index.js'
import { outcomeOf, schemaErrors, tempDir } from '../fixtures-junit/helpers.js'

// "No shortcut is less safe than running everything": --failed, merging CI parts and salvage never say "passed"
// for a test that did not pass in a run xtest can vouch for.
const line = (event: object) => `${JSON.stringify({ time: '2026-01-01T00:00:00.000Z', ...event })}\n`
const FILES = ['src/a.test.ts', 'src/b.test.ts', 'src/c.test.ts']

async function crashedRun(progress: string, files = FILES) {
  const run = tempDir()
  const dir = join(run, 'amp.fast')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'output.log'), 'vitest started\n')
  writeFileSync(join(dir, 'progress.ndjson'), progress)
  const outcome = outcomeOf({ junitPath: join(dir, 'junit.xml'), files, exitCode: 137, signal: 'SIGKILL' })
  const { summary } = await mergeRun({ runId: 'r1', outcomes: [outcome], outPath: join(run, 'junit.xml') })
  const read = await readJUnit(summary.outPath)
  if (!read.ok) throw new Error(read.message)
  return { summary, report: read.value.report, outPath: summary.outPath }
}

describe('salvage never upgrades', () => {
  test('a forged `done passed` for a planned file that never ran is unverified, not passed; --failed re-runs it', async () => {
    const { summary, report, outPath } = await crashedRun(line({ event: 'done', file: FILES[0], state: 'passed' }))
    expect(schemaErrors(outPath)).toBe('')
    const suite = report.suites.find((each) => each.name === `amp/fast/${FILES[0]}`)!
    expect(suite.properties).toContainEqual({ name: 'xtest.salvaged', value: 'progress.ndjson' })
    expect(suite.cases.map((c) => [c.result, c.skipMessage])).toEqual([
      ['skipped', expect.stringContaining('unverified: recorded done (passed) with no test')],
    ])
    // The file's marker is xtest's own case, not a test (as are the crash cases of the other 3 files): counted apart, and red.
    expect(summary.totals).toMatchObject({ tests: 0, passed: 0, shardErrors: 4 })
    expect(exitCodeFor(summary)).toBe(1)
    expect(failedCells(report).cells).toContainEqual({ container: 'amp', tier: 'fast', file: FILES[0], names: [], wholeFile: true })
    // Nor does the flaky history take the shard's word for an outcome.
    expect(testOutcomes(report)).toEqual([])
  })

  test('forged passes for a file of the plan count apart in every summary; the exit code is never 0 because of them', async () => {
    const forged =
      line({ event: 'collected', file: FILES[0], tests: 2 }) +
      line({ event: 'test', file: FILES[0], name: 'one', state: 'passed' }) +
      line({ event: 'test', file: FILES[0], name: 'two', state: 'passed' }) +
      line({ event: 'done', file: FILES[0], state: 'passed' })
    const { summary, report } = await crashedRun(forged)
    expect(summary.totals).toMatchObject({ tests: 2, passed: 0, skipped: 0, unverified: 2, errors: 0, shardErrors: 3 })
    expect(summary.rows[0]!.counts.unverified).toBe(2)
    const text = formatSummaryText(summary)
    expect(text).toContain("2 unverified (salvaged from a crashed shard's log, not a pass)")
    expect(text).toMatch(/killed, 2 unverified/)
    expect(formatSummaryMarkdown(summary)).toContain('2 unverified')
    const html = renderHtmlReport({ report, summary, junitPath: 'junit.xml', title: 't' })
    expect(html).toContain('id="total-unverified"')
    expect(html).toMatch(/id="total-passed"><span class="value">0</)
    // Even if every status said green (a merge of parts whose status was tampered with), unverified results fail it.
    const green = { ...summary, rows: summary.rows.map((row) => ({ ...row, statuses: ['passed' as const] })) }
    expect(exitCodeFor({ ...green, totals: { ...green.totals, errors: 0, shardErrors: 0 } })).toBe(1)
  })

  test('events for files outside the shard plan are ignored; a shard cannot set the salvaged mark itself', async () => {
    const other = 'src/other-shard.test.ts'
    const forged = line({ event: 'done', file: other, state: 'passed' }) + line({ event: 'test', file: other, name: 'x', state: 'passed' })
    const { summary, report } = await crashedRun(forged)
    expect(report.suites.map((suite) => suite.name)).not.toContain(`amp/fast/${other}`)
    expect(summary.totals.unverified).toBeUndefined()
    expect(summary.notes.join('\n')).toContain('2 event(s) name a file the shard was not given; ignored')

    // A shard's own JUnit posing as salvaged loses the mark (only xtest sets it).
    const run = tempDir()
    const dir = join(run, 'amp.fast')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, 'junit.xml'),
      `<testsuites><testsuite name="${FILES[0]}" tests="1"><properties><property name="xtest.salvaged" value="x"/></properties><testcase classname="${FILES[0]}" name="t"/></testsuite></testsuites>`,
    )
    const outcome = outcomeOf({ junitPath: join(dir, 'junit.xml'), files: [FILES[0]!] })
    const { summary: clean } = await mergeRun({ runId: 'r2', outcomes: [outcome], outPath: join(run, 'merged.xml') })
    expect(clean.totals).toMatchObject({ passed: 1 })
    expect(clean.totals.unverified).toBeUndefined()
  })
})

describe('--failed is honest', () => {
  const suite = (name: string, file: string | undefined, cases: Array<[string, 'passed' | 'failed' | 'error']>): ReportSuite => ({
    name,
    ...(file && { file }),
    time: 0,
    properties: [
      { name: 'container', value: name.split('/')[0]! },
      { name: 'tier', value: name.split('/')[1]! },
    ],
    cases: cases.map(([caseName, result]) => ({ classname: file ?? name, name: caseName, time: 0, result, properties: [] })),
  })

  test('a failure not in the current plan, outside --tier, or tied to no file is unplaced, with the reason', () => {
    const report: JUnitReport = {
      suites: [
        suite('amp/fast/src/renamed.test.ts', 'src/renamed.test.ts', [['t', 'failed']]),
        suite('amp/fast/src/a.test.ts', 'src/a.test.ts', [['t', 'failed']]),
        suite('amp/slow/src/s.test.ts', 'src/s.test.ts', [['t', 'failed']]),
        suite('other-tool-suite', undefined, [['boom', 'failed']]),
      ],
    }
    const planned = new Set(['amp/fast/src/a.test.ts', 'amp/slow/src/s.test.ts'])
    const placed = placeFailed(failedCells(report), planned, { tiers: ['fast'] })
    expect(placed.items.map((item) => item.key)).toEqual(['amp/fast/src/a.test.ts'])
    expect(placed.unplaced.map((each) => [each.suite, each.why])).toEqual([
      ['other-tool-suite', 'it names no test file, and no file of its shard is in the report'],
      ['amp/fast/src/renamed.test.ts', 'not in the current plan (moved, deleted, or not from this project)'],
      ['amp/slow/src/s.test.ts', 'its tier is not among --tier'],
    ])
  })

  test("xtest's synthetic shard failures (crash after the report, exit mismatch, timeout) re-run that shard's files", () => {
    const report: JUnitReport = {
      suites: [
        suite('amp/fast/src/a.test.ts', 'src/a.test.ts', [['t', 'passed']]),
        suite('amp/fast/src/b.test.ts', 'src/b.test.ts', [['t', 'passed']]),
        suite('amp/fast', undefined, [['[xtest] exit_mismatch', 'error']]),
        suite('opt/fast/src/c.test.ts', 'src/c.test.ts', [['t', 'passed']]),
      ],
    }
    expect(failedCells(report).cells.map((cell) => [cell.container, cell.file, cell.wholeFile])).toEqual([
      ['amp', 'src/a.test.ts', true],
      ['amp', 'src/b.test.ts', true],
    ])
  })
})

test('--failed: each failing test aimed at by name must run again; skipped or absent ones keep the file red', () => {
  const suite = (cases: Array<[string, 'passed' | 'skipped']>): ReportSuite => ({
    name: 'amp/fast/src/a.test.ts',
    file: 'src/a.test.ts',
    time: 0,
    properties: [],
    cases: cases.map(([name, result]) => ({ classname: 'src/a.test.ts', name, time: 0, result, properties: [] })),
  })
  const aimed = [{ suite: 'amp/fast/src/a.test.ts', names: ['x > one', 'x > two'] }]
  expect(
    checkRerun(
      [
        suite([
          ['x > one', 'passed'],
          ['x > two', 'passed'],
        ]),
      ],
      aimed,
      'junit.xml',
    )[0]!.cases,
  ).toHaveLength(2)
  const [red] = checkRerun(
    [
      suite([
        ['x > one', 'passed'],
        ['x > two', 'skipped'],
      ]),
    ],
    aimed,
    'junit.xml',
  )
  expect(red!.cases.at(-1)).toMatchObject({ name: '[xtest] not_rerun', result: 'error', fault: { type: 'xtest.not_rerun' } })
  expect(red!.cases.at(-1)!.fault!.message).toContain('1 test(s) that failed in junit.xml did not run in this re-run')
})

describe('parts own their cells', () => {
  const hash = `sha256:${'b'.repeat(64)}`
  const files = Array.from({ length: 6 }, (_, i) => `src/f${i}.test.ts`)
  const weights: Weights = Object.fromEntries(files.map((file, i) => [`amp/fast/${file}`, 1000 * (i + 1)]))
  const plan: MergePlan = { source: 'plan.json', hash, shards: [{ id: 'amp.fast', container: 'amp', tier: 'fast', files }], weights }
  const itemsOf = (index: number) => listWork(splitShards(plan.shards, weights, { index, count: 2 }).shards)
  const partSuite = (key: string, file: string, index: number): ReportSuite => ({
    name: key,
    file,
    time: 0.1,
    properties: [
      { name: 'container', value: 'amp' },
      { name: 'tier', value: 'fast' },
      { name: 'status', value: 'passed' },
      { name: 'plan_hash', value: hash },
      { name: 'part', value: `${index}/2` },
    ],
    cases: [{ classname: file, name: 'ok', time: 0.1, result: 'passed', properties: [] }],
  })
  const part = (index: number, extra: ReportSuite[] = []) => ({
    path: `junit-${index}.xml`,
    report: { name: `xtest run r${index}`, suites: [...itemsOf(index).map((item) => partSuite(item.key, item.file, index)), ...extra] },
  })

  test('part 1 carrying a passing suite for a file of part 2, part 2 never uploads: red, the suite dropped with a note', () => {
    const stolen = itemsOf(2)[0]!
    const merged = mergeParts([part(1, [partSuite(stolen.key, stolen.file, 1)])], { plan })
    const suites = merged.report.suites.filter((suite) => suite.name === stolen.key)
    expect(suites).toHaveLength(1)
    expect(suites[0]!.cases.map((c) => c.name)).toEqual(['[xtest] part_missing'])
    expect(suites[0]!.properties.find((p) => p.name === 'xtest.misplaced')?.value).toBe(
      `part 1/2 reported ${stolen.key}, which the plan gives to part 2/2: that result was dropped`,
    )
    expect(suites[0]!.systemOut).toContain('that result was dropped')
    expect(merged.notes.filter((note) => note.includes('were dropped'))).toHaveLength(1)
    const summary = summarizeReport(merged.report, { outPath: 'junit.xml', notes: merged.notes })
    expect(exitCodeFor(summary)).toBe(1)
    expect(summary.totals.shardErrors).toBe(itemsOf(2).length)
  })

  test("with both parts, only the owner's result counts (a failing owner is not hidden by another part's pass)", () => {
    const owned = itemsOf(2)[0]!
    const owner = part(2)
    owner.report.suites[0]!.cases[0] = {
      ...owner.report.suites[0]!.cases[0]!,
      result: 'failed',
      fault: { message: 'x', type: 'E', body: '' },
    }
    const merged = mergeParts([part(1, [partSuite(owned.key, owned.file, 1)]), owner], { plan })
    const suite = merged.report.suites.find((each) => each.name === owned.key)!
    expect(suite.cases.map((c) => c.result)).toEqual(['failed'])
    expect(suite.properties.find((p) => p.name === 'part')?.value).toBe('2/2')
  })
})
