import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { JUnitReport, ReportCase, ReportSuite } from '../../src/report/index.js'
import { formatSummaryText, mergeJUnitFiles, summarizeReport, writeJUnit } from '../../src/report/index.js'
import { tempDir } from '../fixtures-junit/helpers.js'

// The summary's numbers mean what they say.
const passed = (name: string): ReportCase => ({ classname: 'c', name, time: 0.1, result: 'passed', properties: [] })
const failedCase = (name: string): ReportCase => ({
  ...passed(name),
  result: 'failed',
  fault: { message: 'boom', type: 'Error', body: 'boom' },
})
const suite = (
  container: string,
  file: string,
  status: string,
  startedAt: string,
  durationMs: number,
  cases: ReportCase[],
): ReportSuite => ({
  name: `${container}/fast/${file}`,
  file,
  time: 0.5,
  cases,
  properties: [
    ['container', container],
    ['tier', 'fast'],
    ['shard', `${container}.fast`],
    ['status', status],
    ['started_at', startedAt],
    ['duration_ms', String(durationMs)],
  ].map(([name, value]) => ({ name: name!, value: value! })),
})

describe('numbers that mean what they say', () => {
  test('the total is the wall time; the sum of shard times stands beside it, labelled', () => {
    const report: JUnitReport = {
      suites: [
        suite('amp', 'a.test.ts', 'passed', '2025-01-01T00:00:00.000Z', 10_000, [passed('a')]),
        suite('opt', 'b.test.ts', 'passed', '2025-01-01T00:00:02.000Z', 10_000, [passed('b')]),
      ],
    }
    const summary = summarizeReport(report, { outPath: 'j.xml' })
    expect(summary.wallMs).toBe(12_000)
    const text = formatSummaryText(summary)
    expect(text).toMatch(/^total +2 +0 +0 +0 +12\.0s$/m)
    expect(text).toContain('Time: 12.0s wall; 20.0s summed over 2 shards')
  })

  test('plurals: 1 test, 1 shard', () => {
    const summary = summarizeReport(
      { suites: [suite('amp', 'a.test.ts', 'passed', '2025-01-01T00:00:00.000Z', 1500, [passed('a')])] },
      { outPath: 'j.xml' },
    )
    const text = formatSummaryText(summary)
    expect(text).toContain('3 passed'.replace('3', '1') + ', 0 skipped of 1 test\n')
    expect(text).toContain('summed over 1 shard\n')
  })

  test("xtest merge: the table shows the shards of every input, not the first report's only", async () => {
    const dir = tempDir()
    // Two CI parts (--shard 1/2, 2/2) both ran amp.fast on different files; the second part failed.
    await writeJUnit(
      { suites: [suite('amp', 'a.test.ts', 'passed', '2025-01-01T00:00:00.000Z', 4000, [passed('a')])] },
      join(dir, 'part1.xml'),
    )
    await writeJUnit(
      { suites: [suite('amp', 'b.test.ts', 'failed', '2025-01-01T00:00:01.000Z', 6000, [failedCase('b')])] },
      join(dir, 'part2.xml'),
    )
    const { summary } = await mergeJUnitFiles([join(dir, 'part1.xml'), join(dir, 'part2.xml')], join(dir, 'merged.xml'))
    expect(summary.rows).toHaveLength(1)
    expect(summary.rows[0]!.statuses).toEqual(['passed', 'failed'])
    expect(summary.rows[0]!.shardMs).toBe(10_000)
    expect(summary.shardCount).toBe(2)
    expect(summary.wallMs).toBe(7000)
    expect(formatSummaryText(summary)).toMatch(/^amp +fast +- +passed, failed +1 +1 +0 +0 +10\.0s$/m)
  })
})
