import { describe, expect, test } from 'vitest'
import { groupFailures, toFailure } from '../../src/report/html/groups.js'
import type { JUnitReport, ReportCase, ReportSuite } from '../../src/report/index.js'
import { renderHtmlReport, summarizeReport } from '../../src/report/index.js'
import { type HtmlShard, layoutTimeline } from '../../src/report/timeline.js'

const shard = (id: string, startS: number, endS: number): HtmlShard => ({
  key: id,
  id,
  container: id,
  tier: 'fast',
  status: 'passed',
  startMs: 1_700_000_000_000 + startS * 1000,
  durationMs: (endS - startS) * 1000,
  counts: { tests: 1, passed: 1, failed: 0, errors: 0, skipped: 0, time: 0 },
})

const props = (entries: Record<string, string>) => Object.entries(entries).map(([name, value]) => ({ name, value }))
const suite = (file: string, cases: ReportCase[], extra: Record<string, string> = {}): ReportSuite => ({
  name: `amp/fast/${file}`,
  file,
  time: 1,
  cases,
  properties: props({
    container: 'amp',
    tier: 'fast',
    shard: 'amp.fast',
    status: 'failed',
    started_at: '2025-01-01T00:00:00.000Z',
    duration_ms: '3000',
    ...extra,
  }),
})
const failing = (name: string, message: string): ReportCase => ({
  classname: 'f',
  name,
  time: 0.1,
  result: 'failed',
  properties: [],
  fault: { message, type: 'AssertionError', body: message },
})

describe('the timeline layout', () => {
  test('lanes as the scheduler filled them, the critical path back from the last shard, idle lane time', () => {
    const layout = layoutTimeline([shard('a', 0, 10), shard('b', 0, 4), shard('c', 4, 6), shard('d', 6, 12)])!
    expect(layout.lanes).toBe(2)
    expect(layout.bars.map((bar) => [bar.id, bar.lane, bar.critical ?? false])).toEqual([
      ['a', 0, false],
      ['b', 1, true],
      ['c', 1, true],
      ['d', 1, true],
    ])
    expect(layout.wallMs).toBe(12_000)
    expect(layout.idleMs).toBe(2 * 12_000 - 22_000)
  })

  test('a shard that started after a gap ends the critical path there; shards that never started get no bar', () => {
    const never = { ...shard('never', 0, 0), startMs: undefined }
    const layout = layoutTimeline([shard('a', 0, 2), shard('late', 5, 9), never])!
    expect(layout.bars.map((bar) => [bar.id, bar.critical ?? false])).toEqual([
      ['a', false],
      ['late', true],
    ])
  })
})

describe('the timeline of CI parts', () => {
  const inPart = (part: string, each: HtmlShard): HtmlShard => ({ ...each, part })
  test('each part gets lanes of its own, in part order; the critical path stays inside a part', () => {
    // Part 2 started first on its machine; both parts ran two shards at a time.
    const layout = layoutTimeline([
      inPart('2/2', shard('x', 0, 5)),
      inPart('2/2', shard('y', 0, 3)),
      inPart('1/2', shard('a', 1, 4)),
      inPart('1/2', shard('b', 1, 9)),
      inPart('1/2', shard('c', 4, 6)),
    ])!
    expect(layout.laneParts).toEqual(['1/2', '1/2', '2/2', '2/2'])
    expect(Object.fromEntries(layout.bars.map((bar) => [bar.id, bar.lane]))).toEqual({ a: 0, b: 1, c: 0, x: 2, y: 3 })
    // b ends last; nothing of part 2 (x ended at 5 s) is taken as the shard whose end let b start.
    expect(layout.bars.filter((bar) => bar.critical).map((bar) => bar.id)).toEqual(['b'])
  })

  test('the SVG and the sentences under it name the part of each lane and bar', async () => {
    const { renderTimeline, describeTimeline } = await import('../../src/report/html/timeline-svg.js')
    const layout = layoutTimeline([inPart('1/2', shard('a', 0, 4)), inPart('2/2', shard('b', 0, 6))])!
    const svg = renderTimeline(layout, () => 0)
    expect(svg).toContain('>part 1/2</text>')
    expect(svg).toContain('>part 2/2</text>')
    expect(svg).toContain('<title>a (part 1/2): ✔ passed')
    expect(describeTimeline(layout)[0]).toBe('Lanes grouped by CI part: part 1/2 (1 lane), part 2/2 (1 lane).')
    // A run on one machine says nothing about parts.
    expect(layoutTimeline([shard('a', 0, 4)])!.laneParts).toBeUndefined()
  })
})

describe('report.html', () => {
  test('failures with one message form one group; synthetic ones are explained', () => {
    const s = suite('a.test.ts', [failing('one', 'expected 1 to be 2'), failing('two', 'expected 1 to be 2'), failing('three', 'other')])
    const crash: ReportCase = {
      classname: 'amp/fast',
      name: '[xtest] shard_crashed',
      time: 0,
      result: 'error',
      properties: [],
      fault: { message: 'amp.fast: crashed', type: 'xtest.shard_crashed', body: '' },
    }
    const groups = groupFailures([...s.cases, crash].map((c) => toFailure(s, c)))
    expect(groups.map((g) => [g.key, g.items.length])).toEqual([
      ['expected 1 to be 2', 2],
      ['other', 1],
      ['xtest.shard_crashed', 1],
    ])
    const report: JUnitReport = { suites: [s, { ...s, name: 'amp/fast', file: undefined, cases: [crash] } as ReportSuite] }
    const html = renderHtmlReport({ report, summary: summarizeReport(report, { outPath: 'j.xml' }), title: 't', junitPath: 'j.xml' })
    expect(html).toContain('What happened:</strong> The shard&#39;s Vitest process died')
  })

  test('hostile text stays text: escaped in markup, inert in the embedded JSON; a CSP allows no network request', () => {
    const evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>'
    const report: JUnitReport = {
      suites: [
        suite(
          `x${evil}.test.ts`,
          [failing(evil, evil), { classname: 'f', name: evil, time: 0, result: 'skipped', skipMessage: evil, properties: [] }],
          { cause: evil, image: evil },
        ),
      ],
    }
    const html = renderHtmlReport({ report, summary: summarizeReport(report, { outPath: 'j.xml' }), title: evil, junitPath: evil })
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<script>alert')
    expect(html.match(/<script\b/g)).toHaveLength(2)
    expect(html.match(/<\/script>/g)).toHaveLength(2)
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'; img-src data:; base-uri 'none'; form-action 'none'">/,
    )
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//)
  })

  test("totals are the report's, exactly", () => {
    const report: JUnitReport = {
      suites: [suite('a.test.ts', [failing('one', 'x'), { classname: 'f', name: 'ok', time: 0, result: 'passed', properties: [] }])],
    }
    const html = renderHtmlReport({ report, summary: summarizeReport(report, { outPath: 'j.xml' }), title: 't', junitPath: 'j.xml' })
    expect(html).toContain('id="total-tests"><span class="value">2<')
    expect(html).toContain('id="total-failed"><span class="value">1<')
    expect(html).toContain('id="total-passed"><span class="value">1<')
  })
})
