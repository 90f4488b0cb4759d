import { describe, expect, test } from 'vitest'
import type { JUnitReport, ReportSuite } from '../../src/report/index.js'
import { formatSummaryMarkdown, summarizeReport } from '../../src/report/index.js'

// The step summary draws the shards as a Mermaid gantt, within GitHub's 1 MiB.
const T0 = Date.parse('2025-01-01T10:00:00.000Z')
const suite = (container: string, tier: string, status: string, startS: number, durationS: number, slice = ''): ReportSuite => ({
  name: `${container}/${tier}/f${slice}.test.ts`,
  file: `f${slice}.test.ts`,
  time: 1,
  cases: [
    {
      classname: 'f',
      name: 't',
      time: 1,
      result: status === 'failed' ? 'failed' : 'passed',
      properties: [],
      ...(status === 'failed' ? { fault: { message: 'x', type: 'E', body: 'x' } } : {}),
    },
  ],
  properties: Object.entries({
    container,
    tier,
    shard: `${container}.${tier}${slice}`,
    status,
    started_at: new Date(T0 + startS * 1000).toISOString(),
    duration_ms: String(durationS * 1000),
  }).map(([name, value]) => ({ name, value })),
})

describe('the Mermaid gantt of the step summary', () => {
  test('one task per shard at its real start and end; failing shards crit; the critical path active and starred', () => {
    const report: JUnitReport = {
      suites: [suite('amp', 'fast', 'failed', 0, 10), suite('opt', 'fast', 'passed', 0, 4), suite('opt', 'slow', 'passed', 4, 8)],
    }
    const markdown = formatSummaryMarkdown(summarizeReport(report, { outPath: 'j.xml' }))
    const block = markdown.slice(markdown.indexOf('```mermaid'), markdown.indexOf('```\n', markdown.indexOf('```mermaid') + 3) + 3)
    expect(block).toBe(
      [
        '```mermaid',
        'gantt',
        '  title Shards: 12.0s wall time on 2 lanes',
        '  dateFormat x',
        '  axisFormat %H:%M:%S',
        '  section amp',
        `    amp.fast failed (1 test) :crit, ${T0}, ${T0 + 10_000}`,
        '  section opt',
        `    ★ opt.fast passed (1 test) :done, active, ${T0}, ${T0 + 4000}`,
        `    ★ opt.slow passed (1 test) :done, active, ${T0 + 4000}, ${T0 + 12_000}`,
        '```',
      ].join('\n'),
    )
    expect(markdown).toContain('Time: 12.0s wall; 22.0s summed over 3 shards')
  })

  test('names cannot break the chart; thousands of shards stay under 1 MiB with a note', () => {
    const hostile = formatSummaryMarkdown(summarizeReport({ suites: [suite('a:b#c;%%d', 'fast', 'passed', 0, 2)] }, { outPath: 'j.xml' }))
    expect(hostile).toContain('  section a_b_c___d\n')
    const many = Array.from({ length: 3000 }, (_, i) => suite(`c${i % 7}`, 'fast', i % 5 ? 'passed' : 'failed', i, 30, `.${i}`))
    const markdown = formatSummaryMarkdown(summarizeReport({ suites: many }, { outPath: 'j.xml' }))
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(1024 * 1024)
    expect(markdown.match(/^ {4}.* :(done|crit)/gm)).toHaveLength(200)
    expect(markdown).toContain('_2800 more shards left out of the chart._')
  })
})
