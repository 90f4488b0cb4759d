// The rules of the failure report: excerpts keep the whole diff and drop the runner's frames, xtest's own cases are
// counted apart and listed after the tests' failures, no escape or control reaches a summary or the page, the source
// around a failing line is read only from inside the root, and each cell says where it ran.

import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { EXCERPT_LIMITS, failureExcerpt, isRunnerFrame } from '../../src/report/failure-excerpt.js'
import { renderHtmlReport } from '../../src/report/html/render.js'
import { readSourceExcerpt, sourceKey } from '../../src/report/html/source-excerpt.js'
import type { JUnitReport, ReportCase, ReportSuite } from '../../src/report/index.js'
import { exitCodeFor, formatSummaryMarkdown, formatSummaryText, mergeRun, summarizeReport } from '../../src/report/index.js'
import { describeFallback, whereRan } from '../../src/report/where-ran.js'
import { outcomeOf, tempDir } from '../fixtures-junit/helpers.js'

const ESC = '\x1b'
// Frames as a Vitest 4 failure body carries them: the test's own line, then the runner's.
const RUNNER = [
  '    at file:///app/node_modules/@vitest/runner/dist/chunk-hooks.js:155:11',
  '    at file:///app/node_modules/@vitest/runner/dist/chunk-hooks.js:752:26',
  '    at new Promise (<anonymous>)',
  '    at runWithTimeout (file:///app/node_modules/@vitest/runner/dist/index.js:1021:9)',
  '    at file:///app/node_modules/vitest/dist/chunks/runBaseTests.js:12:3',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
  '    at /repo/node_modules/.pnpm/@vitest+runner@4.1.0/node_modules/@vitest/runner/dist/index.js:1:1',
  '    at Object.<anonymous> (node:internal/modules/cjs/loader:1554:14)',
]
const DIFF = [
  '- Expected',
  '+ Received',
  '',
  '  Array [',
  ...Array.from({ length: 60 }, (_, i) => `-   "old ${i}",\n+   "new ${i}",`),
  '  ]',
]
  .join('\n')
  .split('\n')
const BODY = [
  `${ESC}[31mAssertionError${ESC}[39m: expected [ …(60) ] to deeply equal [ …(60) ]`,
  '    at /app/test/list.test.ts:12:19',
  ...RUNNER,
  '',
  ...DIFF.map((line) => (line.startsWith('-') ? `${ESC}[32m${line}${ESC}[39m` : line)),
].join('\n')

describe('failure excerpts', () => {
  test('the diff whole (125 lines, past the old 8-line cut), the message, the test frame; no runner frame, no escape', () => {
    const excerpt = failureExcerpt(BODY)
    const lines = excerpt.split('\n')
    expect(lines[0]).toBe('AssertionError: expected [ …(60) ] to deeply equal [ …(60) ]')
    expect(excerpt).toContain('- Expected\n+ Received\n\n  Array [\n-   "old 0",\n+   "new 0",')
    expect(excerpt).toContain('-   "old 59",\n+   "new 59",\n  ]')
    expect(lines.at(-1)).toBe('    at /app/test/list.test.ts:12:19')
    for (const frame of RUNNER) expect(excerpt).not.toContain(frame.trim())
    expect(excerpt).not.toContain(ESC)
  })

  test('a diff past the bound keeps its head and says how many lines the JUnit report has more', () => {
    const excerpt = failureExcerpt(BODY, { ...EXCERPT_LIMITS, diffLines: 10 })
    expect(excerpt).toContain('… 115 more diff lines in the JUnit report')
    expect(excerpt).toContain('-   "old 2",')
    expect(excerpt).not.toContain('-   "old 3",')
    expect(excerpt).toContain('at /app/test/list.test.ts:12:19')
  })

  test('without a diff: the message and the first 3 frames of the test; a cause is left to the JUnit report', () => {
    const body = [
      'Error: boom',
      ...['a', 'b', 'c', 'd'].map((f) => `    at ${f} (/app/src/${f}.ts:1:1)`),
      'Caused by: Error: deeper',
      '    at z (/app/z.ts:1:1)',
    ].join('\n')
    expect(failureExcerpt(body)).toBe(
      'Error: boom\n    at a (/app/src/a.ts:1:1)\n    at b (/app/src/b.ts:1:1)\n    at c (/app/src/c.ts:1:1)',
    )
    expect(failureExcerpt('just a message')).toBe('just a message')
    expect(failureExcerpt('')).toBe('')
  })

  test("Vitest's frames and Node's internals are the runner's; the test's and its dependencies' are not", () => {
    for (const frame of RUNNER) expect(isRunnerFrame(frame), frame).toBe(true)
    expect(isRunnerFrame(' ❯ node_modules/@vitest/expect/dist/index.js:1:1')).toBe(true)
    for (const frame of ['    at /app/test/a.test.ts:1:1', ' ❯ src/vitest-helpers.ts:3:1', '    at f (/app/node_modules/lodash/x.js:1:1)'])
      expect(isRunnerFrame(frame), frame).toBe(false)
  })
})

const props = (entries: Record<string, string>) => Object.entries(entries).map(([name, value]) => ({ name, value }))
const shardProps = (container: string, status: string, extra: Record<string, string> = {}) =>
  props({
    container,
    tier: 'fast',
    shard: `${container}.fast`,
    status,
    started_at: '2026-01-01T00:00:00.000Z',
    duration_ms: '1000',
    ...extra,
  })
const pass = (name: string): ReportCase => ({ classname: 'f', name, time: 0.1, result: 'passed', properties: [] })
const fail = (name: string, body: string, message = 'expected 1 to be 2'): ReportCase => ({
  classname: 'test/a.test.ts',
  name,
  time: 0.1,
  result: 'failed',
  properties: [],
  fault: { message, type: 'AssertionError', body },
})
const xtestCase = (kind: string, message: string): ReportCase => ({
  classname: 'x',
  name: `[xtest] ${kind}`,
  time: 0,
  result: 'error',
  properties: [],
  fault: { message, type: `xtest.${kind}`, body: `${message}\nlog: ${ESC}[2Jcleared` },
})

// The shard's own crash case comes first in the report, as merged reports list it.
const REPORT: JUnitReport = {
  suites: [
    {
      name: 'crash/fast',
      time: 0,
      properties: shardProps('crash', 'killed'),
      cases: [xtestCase('shard_crashed', 'crash.fast: killed by SIGKILL')],
    },
    {
      name: 'crash/fast/c.test.ts',
      file: 'c.test.ts',
      time: 0,
      properties: shardProps('crash', 'killed'),
      cases: [xtestCase('shard_crashed', 'crash.fast: killed')],
    },
    {
      name: 'amp/fast/test/a.test.ts',
      file: 'test/a.test.ts',
      time: 1,
      properties: shardProps('amp', 'failed', { runtime: 'docker', image: 'node:24' }),
      cases: [pass('one'), pass('two'), fail('adds', BODY)],
    },
  ],
}

describe('failures first, xtest errors counted apart', () => {
  const summary = summarizeReport(REPORT, { outPath: 'junit.xml' })

  test('3 tests and 2 shard errors, in the headline, the table, the Markdown and the HTML; the run is red', () => {
    expect(summary.totals).toMatchObject({ tests: 3, passed: 2, failed: 1, errors: 0, shardErrors: 2 })
    // Red by its shard errors alone, even with every status green and no test failing (a tampered merge input).
    const green = { ...summary, rows: summary.rows.map((row) => ({ ...row, statuses: ['passed' as const] })) }
    expect(exitCodeFor({ ...green, totals: { ...green.totals, failed: 0 } })).toBe(1)
    expect(exitCodeFor({ ...green, totals: { ...green.totals, failed: 0, shardErrors: 0 } })).toBe(0)
    const text = formatSummaryText(summary)
    expect(text).toMatch(/^xtest: FAILED: 1 failed, 0 errors, 2 passed, 0 skipped of 3 tests, 2 shard errors$/m)
    expect(text).toMatch(/^crash +fast +- +killed, 2 shard errors +0 +0 +0 +0 /m)
    expect(formatSummaryMarkdown(summary)).toContain('of 3 tests, 2 shard errors')
    const html = renderHtmlReport({ report: REPORT, summary, title: 't', junitPath: 'junit.xml' })
    expect(html).toContain('id="total-tests"><span class="value">3</span>')
    expect(html).toContain('id="total-shard-errors"><span class="value">2</span>')
    expect(html).toContain('Failures (1 test, 2 shard errors (xtest&#39;s own) after them')
  })

  test("the test's failure before xtest's own in the text, the Markdown and the HTML", () => {
    const text = formatSummaryText(summary)
    expect(text.indexOf('Failures (1):\n  FAIL amp/fast test/a.test.ts > adds')).toBeGreaterThan(-1)
    expect(text.indexOf('Failures (1):')).toBeLessThan(
      text.indexOf("Shard errors (1): xtest's own, not test results:\n  ERROR crash/fast > [xtest] shard_crashed"),
    )
    expect(text.indexOf('Shard errors (1)')).toBeLessThan(text.indexOf('Files without a result (1)'))
    const markdown = formatSummaryMarkdown(summary)
    expect(markdown.indexOf('### Failures (1)')).toBeLessThan(markdown.indexOf('### Shard errors (1)'))
    expect(markdown).toContain('-   "old 59",')
    const html = renderHtmlReport({ report: REPORT, summary, title: 't', junitPath: 'junit.xml' })
    expect(html.indexOf('<strong>adds</strong>')).toBeLessThan(html.indexOf('<strong>[xtest] shard_crashed</strong>'))
  })
})

describe('no escape or control reaches a summary or the page (property)', () => {
  // A seeded PRNG (mulberry32): the same 300 cases every run.
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const PIECES = [
    `${ESC}[31m`,
    `${ESC}]0;title${ESC}\\`,
    `${ESC}]52;c;Zm9v\x07`,
    `${ESC}[2J`,
    '\x9b31m',
    '\x9d8;;http://x\x9c',
    '\x00',
    '\x07',
    '\x08',
    '\r',
    '\x7f',
    '\x85',
    '\u202e',
    '- Expected\n+ Received\n',
    '    at /app/node_modules/@vitest/runner/dist/x.js:1:1\n',
    '<script>',
    '`'.repeat(4),
    '|',
    'plain text ',
    '\n',
  ]
  // What may never be in the output: escapes, C0 controls but tab and newline, DEL, C1 controls.
  const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/

  test('300 random reports with hostile names, messages, bodies, outputs and properties', () => {
    const next = random(20260101)
    const text = (length: number) => Array.from({ length }, () => PIECES[Math.floor(next() * PIECES.length)]).join('')
    for (let trial = 0; trial < 300; trial++) {
      const hostile = { container: `c${text(2)}`, image: text(3), node: text(2) }
      const suite: ReportSuite = {
        name: text(3),
        file: `test/${text(2)}.test.ts`,
        time: 1,
        properties: shardProps(hostile.container, 'failed', {
          runtime: 'local',
          host_node: hostile.node,
          fell_back_image: hostile.image,
          fell_back_reason: text(4),
        }),
        cases: [
          { ...fail(text(4), text(20), text(6)), systemOut: text(10) },
          { ...xtestCase('shard_crashed', text(8)), systemOut: text(10) },
          { ...pass(text(3)), result: 'skipped', skipMessage: text(5) },
        ],
      }
      const report: JUnitReport = { suites: [suite] }
      const summary = { ...summarizeReport(report, { outPath: text(2) }), notes: [text(5)] }
      const outputs = {
        text: formatSummaryText(summary),
        markdown: formatSummaryMarkdown(summary),
        html: renderHtmlReport({
          report,
          summary,
          title: text(3),
          junitPath: text(2),
          logTails: new Map([[`${hostile.container}.fast`, text(30)]]),
        }),
      }
      for (const [kind, output] of Object.entries(outputs)) {
        const found = RAW.exec(output)
        expect(found, `trial ${trial}, ${kind}: ${JSON.stringify(found?.[0])} at ${found?.index}`).toBeNull()
      }
    }
  })
})

describe('the source around the failing line', () => {
  const root = tempDir()
  mkdirSync(join(root, 'test'), { recursive: true })
  const source = Array.from({ length: 20 }, (_, i) => `line ${i + 1}${i === 9 ? ' <script>alert(1)</script>' : ''}`).join('\n')
  writeFileSync(join(root, 'test/a.test.ts'), source)
  writeFileSync(join(root, 'test/long.test.ts'), 'x'.repeat(5000))
  const outside = tempDir()
  writeFileSync(join(outside, 'secret.ts'), 'SECRET')
  symlinkSync(join(outside, 'secret.ts'), join(root, 'test/link.test.ts'))
  symlinkSync(outside, join(root, 'linked-dir'))
  execFileSync('mkfifo', [join(root, 'test/fifo.test.ts')])

  test('3 lines either side, cut to their width; nothing past the end', async () => {
    expect(await readSourceExcerpt(root, 'test/a.test.ts', 10)).toEqual({
      first: 7,
      line: 10,
      lines: ['line 7', 'line 8', 'line 9', 'line 10 <script>alert(1)</script>', 'line 11', 'line 12', 'line 13'],
    })
    expect((await readSourceExcerpt(root, 'test/a.test.ts', 1))?.lines).toEqual(['line 1', 'line 2', 'line 3', 'line 4'])
    expect((await readSourceExcerpt(root, 'test/long.test.ts', 1))?.lines[0]).toHaveLength(200)
    expect(await readSourceExcerpt(root, 'test/a.test.ts', 21)).toBeUndefined()
    expect(await readSourceExcerpt(root, 'test/a.test.ts', 0)).toBeUndefined()
  })

  test('a hostile path shows nothing: absolute, ../, a link or a folder link out of the root, a FIFO, a NUL, the root itself', async () => {
    for (const file of [
      '/etc/passwd',
      '../../../../etc/passwd',
      'test/../../etc/passwd',
      'test/link.test.ts',
      'linked-dir/secret.ts',
      'test/fifo.test.ts',
      'test/a\0.ts',
      '.',
      'test',
    ])
      expect(await readSourceExcerpt(root, file, 1), file).toBeUndefined()
  })

  test('the page shows it escaped, the failing line marked', async () => {
    const report: JUnitReport = {
      suites: [
        {
          name: 'amp/fast/test/a.test.ts',
          file: 'test/a.test.ts',
          time: 1,
          properties: shardProps('amp', 'failed'),
          cases: [fail('adds', ' ❯ test/a.test.ts:10:5')],
        },
      ],
    }
    const summary = summarizeReport(report, { outPath: 'junit.xml' })
    const excerpt = await readSourceExcerpt(root, 'test/a.test.ts', 10)
    const html = renderHtmlReport({
      report,
      summary,
      title: 't',
      junitPath: 'j',
      sources: new Map([[sourceKey('test/a.test.ts', 10), excerpt!]]),
    })
    expect(html).toContain('<mark>&gt; 10 | line 10 &lt;script&gt;alert(1)&lt;/script&gt;</mark>')
    expect(html).toContain('   9 | line 9\n')
    expect(html).not.toContain('<script>alert(1)')
  })
})

describe('where each cell ran', () => {
  const suite = (entries: Record<string, string>): ReportSuite => ({ name: 's', time: 0, properties: props(entries), cases: [] })

  test('labels: the engine and image, the host and its Node, the image a fallback skipped; nothing when unknown', () => {
    expect(whereRan(suite({ runtime: 'docker', image: 'node:20' }))).toBe('docker node:20')
    expect(whereRan(suite({ runtime: 'local', host_node: 'v20.19.0' }))).toBe('local')
    expect(whereRan(suite({ runtime: 'local', host_node: 'v20.19.0', fell_back_image: 'node:24' }))).toBe('HOST v20.19.0, not node:24')
    expect(whereRan(suite({}))).toBeUndefined()
    expect(
      describeFallback({ container: 'node24', image: 'node:24', node: 'v20.19.0', reason: 'no container engine answered at unix:///x' }),
    ).toBe("node24 ran on the host's Node v20.19.0, not in node:24 — no container engine answered at unix:///x")
  })

  test("a shard's own JUnit cannot say where it ran: xtest's properties win, its own copies are dropped", async () => {
    const run = tempDir()
    const junit = join(run, 'junit.xml')
    writeFileSync(
      junit,
      '<testsuites><testsuite name="a.test.ts" tests="1"><properties><property name="fell_back_image" value="forged:1"/><property name="host_node" value="v0"/><property name="runtime" value="local"/></properties><testcase classname="a.test.ts" name="t"/></testsuite></testsuites>',
    )
    const { summary } = await mergeRun({
      runId: 'r',
      outcomes: [outcomeOf({ junitPath: junit, files: ['a.test.ts'] })],
      outPath: join(run, 'merged.xml'),
    })
    expect(summary.hostFallbacks).toBeUndefined()
    expect(summary.rows[0]!.ranOn).toEqual(['docker amp:1.4'])
    expect(readFileSync(join(run, 'merged.xml'), 'utf8')).not.toContain('forged')
  })
})
