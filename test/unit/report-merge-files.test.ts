import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { seededRandom } from '../../bench/lib.mjs'
import { ConfigError } from '../../src/core/errors.js'
import type { CaseResult, JUnitReport, ReportCase } from '../../src/report/index.js'
import { exitCodeFor, mergeJUnitFiles, mergeReports, parseJUnit, readJUnit } from '../../src/report/index.js'
import { fixture, schemaErrors, tempDir } from '../fixtures-junit/helpers.js'

const write = (dir: string, name: string, xml: string): string => {
  const path = join(dir, name)
  writeFileSync(path, xml)
  return path
}
const suite = (name: string, cases: string) => `<testsuite name="${name}" time="1">${cases}</testsuite>`
const parseJUnitText = (xml: string): JUnitReport => {
  const read = parseJUnit(xml)
  if (!read.ok) throw new Error(read.message)
  return read.value.report
}
const testcase = (classname: string, name: string, body = '') =>
  `<testcase classname="${classname}" name="${name}" time="0.5">${body}</testcase>`

describe('mergeJUnitFiles', () => {
  test('reports from several machines: same-name suites joined, each (suite, classname, name) kept once', async () => {
    const dir = tempDir()
    const a = write(
      dir,
      'a.xml',
      `<testsuites>${suite('amp/fast/src/a.test.ts', testcase('src/a.test.ts', 'one') + testcase('src/a.test.ts', 'twin') + testcase('src/a.test.ts', 'twin'))}</testsuites>`,
    )
    const b = write(
      dir,
      'b.xml',
      `<testsuites>${suite('amp/fast/src/a.test.ts', testcase('src/a.test.ts', 'one') + testcase('src/a.test.ts', 'two'))}${suite('opt/fast/src/b.test.ts', testcase('src/b.test.ts', 'b', '<failure message="boom"/>'))}</testsuites>`,
    )
    const again = write(dir, 'a-again.xml', readFileSync(a, 'utf8'))
    const out = join(dir, 'out', 'merged.xml')
    const { summary } = await mergeJUnitFiles([a, b, again], out)
    expect(schemaErrors(out)).toBe('')
    const read = await readJUnit(out)
    if (!read.ok) throw new Error(read.message)
    expect(read.value.report.suites.map((s) => [s.name, s.cases.map((c) => c.name)])).toEqual([
      ['amp/fast/src/a.test.ts', ['one', 'twin', 'twin', 'two']],
      ['opt/fast/src/b.test.ts', ['b']],
    ])
    expect(read.value.report.suites[0]!.time).toBe(2)
    expect(summary.notes).toEqual([
      `${b}: 1 testcase(s) already merged from an earlier file (same suite, classname and name): dropped, the earlier copy is as bad or worse`,
      `${again}: 3 testcase(s) already merged from an earlier file (same suite, classname and name): dropped, the earlier copy is as bad or worse`,
    ])
    expect(summary.totals).toMatchObject({ tests: 5, passed: 4, failed: 1 })
    expect(exitCodeFor(summary)).toBe(1)
  })

  test('merging xtest-made reports keeps their container × tier rows and shard statuses', async () => {
    const dir = tempDir()
    const props = (container: string, status: string) =>
      `<properties><property name="container" value="${container}"/><property name="tier" value="fast"/><property name="shard" value="${container}.fast"/><property name="status" value="${status}"/><property name="duration_ms" value="4000"/></properties>`
    const a = write(
      dir,
      'a.xml',
      `<testsuites><testsuite name="amp/fast/src/a.test.ts" file="src/a.test.ts">${props('amp', 'passed')}${testcase('src/a.test.ts', 'x')}</testsuite></testsuites>`,
    )
    const b = write(
      dir,
      'b.xml',
      `<testsuites><testsuite name="opt/fast" >${props('opt', 'infra')}${testcase('opt/fast', '[xtest] infra', '<error type="xtest.infra" message="engine down"/>')}</testsuite></testsuites>`,
    )
    const { summary } = await mergeJUnitFiles([a, b], join(dir, 'out.xml'))
    expect(summary.rows.map((row) => [row.container, row.tier, row.statuses, row.shardMs])).toEqual([
      ['amp', 'fast', ['passed'], 4000],
      ['opt', 'fast', ['infra'], 4000],
    ])
    expect(exitCodeFor(summary)).toBe(3)
  })

  test.each([
    ['empty.xml', 'empty'],
    ['truncated.xml', 'not-well-formed'],
    ['wrong-root.xml', 'not-junit'],
    ['billion-laughs.xml', 'doctype'],
    ['missing.xml', 'missing'],
  ])('a file that is not JUnit (%s) fails with exit 2, naming it, and writes nothing', async (name, kind) => {
    const out = join(tempDir(), 'out.xml')
    const bad = fixture(name)
    const error = await mergeJUnitFiles([fixture('vitest-4.1-amp-fast.xml'), bad], out).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).exitCode).toBe(2)
    expect((error as ConfigError).code).toBe('XTEST_MERGE_INPUT')
    expect((error as ConfigError).message).toMatch(
      new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a usable JUnit report \\(${kind}\\): `),
    )
    expect(() => readFileSync(out)).toThrow()
  })

  test('no input files is a usage error', async () => {
    await expect(mergeJUnitFiles([], 'out.xml')).rejects.toMatchObject({ exitCode: 2, code: 'XTEST_MERGE_NO_INPUT' })
  })
})

describe('merge keeps the worst copy of a test', () => {
  const fail = '<failure message="expected 1 to be 2" type="AssertionError">AssertionError: expected 1 to be 2</failure>'
  const report = (name: string, body: string) => `<testsuites name="${name}">${suite('amp/fast/src/a.test.ts', body)}</testsuites>`

  test('a stale pass merged first does not hide a later failure: the failure is kept, exit 1, and the note says why', async () => {
    const dir = tempDir()
    const stale = write(
      dir,
      'stale.xml',
      report('xtest run 20260101-000000-aaaa', testcase('src/a.test.ts', 'adds') + testcase('src/a.test.ts', 'other')),
    )
    const fresh = write(
      dir,
      'fresh.xml',
      report('xtest run 20260102-000000-bbbb', testcase('src/a.test.ts', 'adds', fail) + testcase('src/a.test.ts', 'other')),
    )
    const { summary } = await mergeJUnitFiles([stale, fresh], join(dir, 'out.xml'))
    expect(summary.totals).toMatchObject({ tests: 2, passed: 1, failed: 1 })
    expect(exitCodeFor(summary)).toBe(1)
    expect(summary.failures.map((f) => [f.name, f.message, f.flaky])).toEqual([['adds', 'expected 1 to be 2', undefined]])
    expect(summary.notes).toEqual([
      `${fresh}: 2 testcase(s) already merged from an earlier file (same suite, classname and name): kept this file's copy of 1, a worse result: ` +
        `"adds" in amp/fast/src/a.test.ts (failure here over a pass from ${stale}); dropped 1 whose earlier copy is as bad or worse`,
    ])
    // The other order gives the same result: the failure stays.
    const { summary: reversed } = await mergeJUnitFiles([fresh, stale], join(dir, 'out2.xml'))
    expect([reversed.totals.failed, exitCodeFor(reversed)]).toEqual([1, 1])
    expect(reversed.notes).toEqual([
      `${stale}: 2 testcase(s) already merged from an earlier file (same suite, classname and name): dropped, the earlier copy is as bad or worse`,
    ])
  })

  test('an error beats a failure, a pass beats a skip', () => {
    const parse = parseJUnitText
    const a = parse(report('a', testcase('f', 'x', fail) + testcase('f', 'y', '<skipped/>')))
    const b = parse(report('b', testcase('f', 'x', '<error message="crash" type="xtest.shard_crashed"/>') + testcase('f', 'y')))
    const { suites } = mergeReports([
      { path: 'a.xml', report: a },
      { path: 'b.xml', report: b },
    ])
    expect(suites[0]!.cases.map((c) => [c.name, c.result])).toEqual([
      ['x', 'error'],
      ['y', 'passed'],
    ])
  })

  test('a pass and a failure of one test in the same run: the failure is kept and marked flaky', async () => {
    const dir = tempDir()
    const a = write(dir, 'part1.xml', report('xtest run 20260101-000000-aaaa', testcase('src/a.test.ts', 'adds', fail)))
    const b = write(dir, 'part1-again.xml', report('xtest run 20260101-000000-aaaa', testcase('src/a.test.ts', 'adds')))
    const out = join(dir, 'out.xml')
    const { summary } = await mergeJUnitFiles([a, b], out)
    expect(exitCodeFor(summary)).toBe(1)
    expect(summary.failures.map((f) => [f.name, f.flaky])).toEqual([['adds', true]])
    expect(summary.notes).toContain(
      `flaky: "adds" in amp/fast/src/a.test.ts passed and failed in run 20260101-000000-aaaa (${a}, ${b}); kept the failure`,
    )
    expect(readFileSync(out, 'utf8')).toContain('[xtest] flaky: another copy of this test passed in the same run')
    expect(schemaErrors(out)).toBe('')
  })

  test('many repeats of one name (a crafted report) merge in linear time and keep the most any file has', () => {
    const cases = (n: number, result: CaseResult): ReportCase[] =>
      Array.from({ length: n }, () => ({ classname: 'c', name: 'same', time: 0, result, properties: [] }))
    const report = (n: number, result: CaseResult): JUnitReport => ({
      suites: [{ name: 's', time: 0, properties: [], cases: cases(n, result) }],
    })
    const { suites } = mergeReports([
      { path: 'a.xml', report: report(50_000, 'passed') },
      { path: 'b.xml', report: report(60_000, 'failed') },
    ])
    expect(suites[0]!.cases).toHaveLength(60_000)
    expect(suites[0]!.cases.every((c) => c.result === 'failed')).toBe(true)
  })

  // Property: whatever the reports and their order, each key keeps as many copies as the file that has most of it,
  // and its copies, worst first, are the element-wise worst of each file's copies, worst first.
  const SEVERITY: Record<CaseResult, number> = { error: 3, failed: 2, passed: 1, skipped: 0 }
  const RESULTS: CaseResult[] = ['passed', 'failed', 'error', 'skipped']
  test.each([1, 2, 3, 4, 5, 6, 7, 8])('property: the kept copies are the worst of every file (seed %i)', (seed) => {
    const next = seededRandom(seed)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
    const reports = Array.from({ length: 1 + Math.floor(next() * 5) }, (_, index) => {
      const suites = ['s1', 's2'].map((name) => ({
        name,
        time: 1,
        properties: [],
        cases: Array.from(
          { length: Math.floor(next() * 6) },
          (): ReportCase => ({
            classname: name,
            name: pick(['t1', 't2', 't3']),
            time: 0.1,
            result: pick(RESULTS),
            properties: [],
          }),
        ),
      }))
      return { path: `r${index}.xml`, report: { name: `xtest run ${pick(['r1', 'r2'])}`, suites } }
    })
    const sortedBy = (cases: readonly ReportCase[], key: string) =>
      cases
        .filter((c) => `${c.classname}\u0000${c.name}` === key)
        .map((c) => SEVERITY[c.result])
        .sort((x, y) => y - x)
    const keys = new Set(reports.flatMap(({ report }) => report.suites.flatMap((s) => s.cases.map((c) => `${c.classname}\u0000${c.name}`))))
    const expected = (key: string) => {
      const perReport = reports.map(({ report }) =>
        sortedBy(
          report.suites.flatMap((s) => s.cases),
          key,
        ),
      )
      const length = Math.max(...perReport.map((list) => list.length))
      return Array.from({ length }, (_, i) => Math.max(...perReport.map((list) => list[i] ?? -1)))
    }
    for (const order of [reports, [...reports].reverse()]) {
      const merged = mergeReports(order).suites.flatMap((s) => s.cases)
      for (const key of keys) expect(sortedBy(merged, key)).toEqual(expected(key))
    }
  })
})
