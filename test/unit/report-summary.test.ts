import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { JUnitReport, ReportCase, RunSummary } from '../../src/report/index.js'
import { formatAnnotations, formatSummaryMarkdown, formatSummaryText, mergeRun, summarizeReport } from '../../src/report/index.js'
import { findLine } from '../../src/report/summarize.js'
import { fixture, outcomeOf, tempDir } from '../fixtures-junit/helpers.js'

const passed = (name: string, time = 0.1): ReportCase => ({ classname: 'c', name, time, result: 'passed', properties: [] })
const failed = (name: string, body: string, message = 'expected 1 to be 2'): ReportCase => ({
  classname: 'src/a.test.ts',
  name,
  time: 0.2,
  result: 'failed',
  properties: [],
  fault: { message, type: 'AssertionError', body },
})
const props = (container: string, tier: string, status: string, shard = `${container}.${tier}`) =>
  [
    ['container', container],
    ['tier', tier],
    ['shard', shard],
    ['status', status],
    ['duration_ms', '65000'],
  ].map(([name, value]) => ({ name: name!, value: value! }))

const report: JUnitReport = {
  suites: [
    {
      name: 'amp/fast/src/a.test.ts',
      file: 'src/a.test.ts',
      time: 1.5,
      properties: props('amp', 'fast', 'failed'),
      cases: [passed('ok'), failed('math > adds', 'AssertionError: expected 1 to be 2\n ❯ src/a.test.ts:12:5\n ❯ node_modules/x.js:1:1')],
    },
    { name: 'amp/fast/src/b.test.ts', file: 'src/b.test.ts', time: 0.2, properties: props('amp', 'fast', 'failed'), cases: [passed('b')] },
    {
      name: 'opt/slow/optimizer/s.test.ts',
      file: 'optimizer/s.test.ts',
      time: 30,
      properties: props('opt', 'slow', 'passed'),
      cases: [passed('s', 30), { ...passed('gpu'), result: 'skipped' }],
    },
  ],
}
const summary = summarizeReport(report, { outPath: '.xtest/junit.xml' })

describe('summaries', () => {
  test('the data: rows per container × tier, totals, slowest files, failures with their line', () => {
    expect(summary.rows.map((row) => [row.container, row.tier, row.statuses, row.counts.tests, row.shardMs])).toEqual([
      ['amp', 'fast', ['failed'], 3, 65000],
      ['opt', 'slow', ['passed'], 2, 65000],
    ])
    expect(summary.totals).toMatchObject({ tests: 5, passed: 3, failed: 1, skipped: 1, errors: 0 })
    expect(summary.slowestFiles.map((file) => file.file)).toEqual(['optimizer/s.test.ts', 'src/a.test.ts', 'src/b.test.ts'])
    expect(summary.failures[0]).toMatchObject({ file: 'src/a.test.ts', line: 12, name: 'math > adds', message: 'expected 1 to be 2' })
  })

  test('plain text: headline, table, slowest files, failures with their first lines', () => {
    expect(formatSummaryText(summary)).toBe(
      [
        'xtest: FAILED: 1 failed, 0 errors, 3 passed, 1 skipped of 5 tests',
        '',
        'container  tier  ran on  status  passed  failed  skipped  errors    time',
        'amp        fast  -       failed       2       1        0       0  1m 05s',
        'opt        slow  -       passed       1       0        1       0  1m 05s',
        'total                                 3       1        1       0  2m 10s',
        '',
        'Slowest files:',
        '  30.0s  opt/slow  optimizer/s.test.ts',
        '   1.5s  amp/fast  src/a.test.ts',
        '  200ms  amp/fast  src/b.test.ts',
        '',
        'Failures (1):',
        '  FAIL amp/fast src/a.test.ts > math > adds (src/a.test.ts:12)',
        '      AssertionError: expected 1 to be 2',
        '       ❯ src/a.test.ts:12:5',
        '       ❯ node_modules/x.js:1:1',
        '',
        'JUnit: .xtest/junit.xml',
        '',
      ].join('\n'),
    )
  })

  test('Markdown: the same table, failures collapsed, content that cannot break out', () => {
    const tricky = summarizeReport(
      { suites: [{ ...report.suites[0]!, cases: [failed('a | b <script>', 'text with ``` fence\nand `ticks`')] }] },
      { outPath: 'j.xml' },
    )
    const markdown = formatSummaryMarkdown(tricky)
    expect(markdown).toContain(
      '| container | tier | ran on | status | passed | failed | skipped | errors | time |\n| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n| amp | fast | - | failed | 0 | 1 | 0 | 0 | 1m 05s |',
    )
    expect(markdown).toContain('<summary>FAIL amp/fast src/a.test.ts &gt; a | b &lt;script&gt;</summary>')
    expect(markdown).toContain('\n````text\ntext with ``` fence\nand `ticks`\n````\n')
  })

  test('Markdown stays under its byte budget, trimming the longest section first with a note', () => {
    const many = Array.from({ length: 3000 }, (_, i) => failed(`case ${i}`, `AssertionError: ${'x'.repeat(150)}\n`.repeat(8)))
    const big = summarizeReport({ suites: [{ ...report.suites[0]!, cases: many }, report.suites[2]!] }, { outPath: 'j.xml' })
    const markdown = formatSummaryMarkdown(big)
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(1024 * 1024)
    expect(Buffer.byteLength(formatSummaryMarkdown(big, { maxBytes: 20_000 }))).toBeLessThanOrEqual(20_000)
    expect(markdown).toContain('| opt | slow | - | passed |')
    expect(markdown).toContain('### Slowest files')
    expect(markdown).toMatch(/_\d+ more left out to keep the summary under its size limit; the JUnit report has them all._/)
    expect(markdown.endsWith('JUnit: `j.xml`\n')).toBe(true)
  })

  test('annotations: file and line when the trace names the file; escaped; capped', () => {
    const withoutLine = summarizeReport(
      { suites: [{ ...report.suites[0]!, cases: [failed('x, y: z', 'no trace here', '50% done\nthen failed')] }] },
      { outPath: 'j.xml' },
    )
    expect(formatAnnotations(summary, { pathPrefix: 'web' })).toBe(
      '::error file=web/src/a.test.ts,line=12,title=amp/fast%3A math > adds::expected 1 to be 2\n',
    )
    expect(formatAnnotations(withoutLine)).toBe('::error file=src/a.test.ts,title=amp/fast%3A x%2C y%3A z::50%25 done\n')
    const lots: RunSummary = { ...summary, failures: Array.from({ length: 60 }, () => summary.failures[0]!) }
    const lines = formatAnnotations(lots).trimEnd().split('\n')
    expect(lines).toHaveLength(51)
    expect(lines[50]).toBe('::warning title=xtest::10 more failures are not annotated; see .xtest/junit.xml')
    expect(formatAnnotations(summarizeReport({ suites: [] }, { outPath: 'j.xml' }))).toBe('')
  })

  test('findLine reads Vitest and Node stack frames, also with paths relative to the working directory', () => {
    expect(findLine('src/a.test.ts', ' ❯ src/a.test.ts:4:54')).toBe(4)
    expect(findLine('optimizer/solver.test.ts', '    at /app/optimizer/solver.test.ts:33:7')).toBe(33)
    expect(findLine('optimizer/solver.test.ts', ' ❯ solver.test.ts:21:15')).toBe(21)
    expect(findLine('src/a.test.ts', ' ❯ src/other-a.test.ts:4:54')).toBeUndefined()
  })

  test('a real run: a crashed shard is in the summary with its cause', async () => {
    const run = tempDir()
    const outcome = outcomeOf({
      junitPath: join(run, 'nothing.xml'),
      logPath: fixture('none.log'),
      exitCode: 137,
      files: ['src/a.test.ts'],
    })
    const { summary: result } = await mergeRun({ runId: 'r', outcomes: [outcome], outPath: join(run, 'junit.xml') })
    const text = formatSummaryText(result)
    expect(text).toContain('amp        fast  docker amp:1.4  killed, 2 shard errors')
    expect(text).toContain('of 0 tests, 2 shard errors')
    expect(text).toContain('ERROR amp/fast > [xtest] shard_crashed\n      shard amp.fast: crashed (exit code 137, SIGKILL)')
    expect(result.shards[0]).toMatchObject({
      status: 'killed',
      cause: 'crashed (exit code 137, SIGKILL)',
      signal: 'SIGKILL',
      unreportedFiles: ['src/a.test.ts'],
    })
  })
})

describe('files without a result are grouped by cause', () => {
  test('a shard with 80 files and a missing image: one line per cause with a count and examples; the JUnit keeps all 80', async () => {
    const run = tempDir()
    const files = Array.from({ length: 80 }, (_, i) => `src/t${String(i).padStart(2, '0')}.test.ts`)
    const cause = "container amp: image 'nope:1' is missing on the engine"
    const outcome = outcomeOf({
      junitPath: join(run, 'nothing.xml'),
      logPath: fixture('none.log'),
      exitCode: null,
      ended: 'infra',
      cause,
      files,
    })
    const other = outcomeOf({
      id: 'opt.fast',
      container: 'opt',
      junitPath: join(run, 'none.xml'),
      logPath: fixture('none.log'),
      exitCode: 137,
      files: ['o/a.test.ts', 'o/b.test.ts'],
    })
    const { summary: result } = await mergeRun({ runId: 'r', outcomes: [outcome, other], outPath: join(run, 'junit.xml') })
    // xtest's own cases are no tests: counted apart, while the JUnit keeps every one of them as an error.
    expect(result.totals).toMatchObject({ tests: 0, errors: 0, shardErrors: 84 })
    expect(result.failureGroups.map((g) => [g.type, g.count, g.examples.length])).toEqual([
      ['xtest.infra', 80, 3],
      ['xtest.shard_crashed', 2, 2],
    ])
    const text = formatSummaryText(result)
    expect(text).toContain("Shard errors (2): xtest's own, not test results:")
    expect(text).not.toContain('Failures (')
    expect(text).toContain(
      `Files without a result (82), by cause:\n  80 file(s) without a result (xtest.infra): infrastructure failure: ${cause}; ` +
        'e.g. amp/fast src/t00.test.ts, amp/fast src/t01.test.ts, amp/fast src/t02.test.ts and 77 more\n' +
        '  2 file(s) without a result (xtest.shard_crashed): crashed (exit code 137, SIGKILL); e.g. opt/fast o/a.test.ts, opt/fast o/b.test.ts\n',
    )
    expect(text.split('\n').length).toBeLessThan(40)
    expect(text).not.toContain('src/t03.test.ts')
    const markdown = formatSummaryMarkdown(result)
    expect(markdown).toContain('### Files without a result (82), by cause')
    expect(markdown).toContain('- 80 file(s) without a result (xtest.infra)')
    expect(markdown).not.toContain('src/t10.test.ts')
    const annotations = formatAnnotations(result).trimEnd().split('\n')
    expect(annotations).toHaveLength(4)
    expect(annotations[0]).toMatch(/^::error title=xtest%3A 80 file\(s\) without a result::80 file\(s\) without a result \(xtest.infra\)/)
  })
})
