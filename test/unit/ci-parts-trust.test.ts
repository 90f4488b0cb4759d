import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { escapeRegExp, testNamePattern } from '../../src/plan/name-pattern.js'
import { failedCells, runsOfReport } from '../../src/report/failed-cells.js'
import { exitCodeFor, type JUnitReport, mergeRun, parseJUnit } from '../../src/report/index.js'
import { outcomeOf, tempDir } from '../fixtures-junit/helpers.js'

// Reports are untrusted input. A shard cannot pose as another part or quarantine itself, and names
// taken from a report for `run --failed` are matched only as literal text.
describe('properties xtest vouches for cannot be forged by a shard', () => {
  test('a shard writing plan_hash, part and xtest.quarantined into its JUnit: dropped, the run sets its own; the failure still fails', async () => {
    const dir = tempDir()
    const junitPath = path.join(dir, 'amp.fast', 'junit.xml')
    fs.mkdirSync(path.dirname(junitPath))
    fs.writeFileSync(
      junitPath,
      `<testsuites><testsuite name="src/a.test.ts"><properties>
      <property name="plan_hash" value="sha256:forged"/><property name="part" value="3/4"/>
      <property name="xtest.quarantined" value="fails: forged"/><property name="completes" value="x"/></properties>
      <testcase classname="src/a.test.ts" name="fails"><failure message="boom" type="Error">boom</failure></testcase></testsuite></testsuites>`,
    )
    const outPath = path.join(dir, 'junit.xml')
    const { summary } = await mergeRun({
      runId: 'r1',
      outcomes: [outcomeOf({ junitPath, files: ['src/a.test.ts'], exitCode: 1 })],
      outPath,
      properties: [{ name: 'plan_hash', value: 'sha256:real' }],
    })
    expect(exitCodeFor(summary)).toBe(1)
    const read = parseJUnit(fs.readFileSync(outPath, 'utf8'))
    const properties = read.ok ? read.value.report.suites.find((s) => s.name === 'amp/fast/src/a.test.ts')!.properties : []
    expect(properties.filter((p) => ['plan_hash', 'part', 'xtest.quarantined', 'completes'].includes(p.name))).toEqual([
      { name: 'plan_hash', value: 'sha256:real' },
    ])
  })
})

describe('run --failed: cells and names from a report', () => {
  const suite = (name: string, file: string | undefined, cases: Array<[string, 'passed' | 'failed' | 'error']>) => ({
    name,
    ...(file && { file }),
    time: 0,
    properties: [
      { name: 'container', value: name.split('/')[0]! },
      { name: 'tier', value: name.split('/')[1]! },
    ],
    cases: cases.map(([caseName, result]) => ({ classname: file ?? name, name: caseName, time: 0, result, properties: [] })),
  })

  test('failing cells with their names; stand-ins and load errors run the whole file; unhandled errors the whole shard', () => {
    const report: JUnitReport = {
      name: 'xtest run 20260101-000000-abcd',
      suites: [
        suite('amp/fast/a.test.ts', 'a.test.ts', [
          ['ok', 'passed'],
          ['x > fails', 'failed'],
          ['x > fails', 'failed'],
        ]),
        suite('amp/fast/b.test.ts', 'b.test.ts', [['b.test.ts', 'failed']]),
        suite('amp/fast/c.test.ts', 'c.test.ts', [['fine', 'passed']]),
        suite('opt/slow/d.test.ts', 'd.test.ts', [['[xtest] shard_crashed', 'error']]),
        suite('opt/slow', undefined, [['[xtest] shard_crashed', 'error']]),
        suite('gpu/fast/e.test.ts', 'e.test.ts', [['e', 'passed']]),
        suite('gpu/fast/unhandled errors', undefined, [['unhandled error 1', 'failed']]),
      ],
    }
    expect(failedCells(report)).toEqual({
      cells: [
        { container: 'amp', tier: 'fast', file: 'a.test.ts', names: ['x > fails'], wholeFile: false },
        { container: 'amp', tier: 'fast', file: 'b.test.ts', names: [], wholeFile: true },
        { container: 'opt', tier: 'slow', file: 'd.test.ts', names: [], wholeFile: true },
        { container: 'gpu', tier: 'fast', file: 'e.test.ts', names: [], wholeFile: true },
      ],
      wholeShards: [
        { container: 'opt', tier: 'slow' },
        { container: 'gpu', tier: 'fast' },
      ],
      orphans: [],
    })
    expect(runsOfReport(report)).toEqual(['20260101-000000-abcd'])
    expect(
      runsOfReport({
        name: 'xtest merge',
        suites: [1, 2, 1].map((i) => ({ ...suite(`a/fast/f${i}`, `f${i}`, []), properties: [{ name: 'run_id', value: `run-${i}` }] })),
      }),
    ).toEqual(['run-1', 'run-2'])
  })

  test.each([
    'reads [dates] | times.*',
    '(a+)+$',
    '^$.*+?()[]{}|\\',
    'a > b (c)',
    'line\nbreak',
    'x'.repeat(1000),
    '\u{1F600} emoji',
    '/slashes/ and -dashes-',
  ])('the pattern matches the name %j literally, as Vitest 4 and 5 join it, and nothing else', (name) => {
    const pattern = testNamePattern([name])!
    const regex = new RegExp(pattern)
    const full = name.split(' > ').join(' ')
    expect(regex.test(full)).toBe(true)
    expect(regex.test(name)).toBe(true) // Vitest 5: the names joined by ' > '
    expect(regex.test(`${full} inside a describe of that name`)).toBe(true)
    expect(regex.test(`x${full}`)).toBe(false)
    expect(regex.test(`${full}x`)).toBe(false)
    expect(new RegExp(`^${escapeRegExp(full)}$`).test(full)).toBe(true)
  })

  test('past the caps (count, length) there is no pattern: the files run in full', () => {
    expect(testNamePattern(Array.from({ length: 201 }, (_, i) => `t${i}`))).toBeUndefined()
    expect(testNamePattern(['x'.repeat(1001)])).toBeUndefined()
    expect(testNamePattern([''])).toBeUndefined()
    expect(testNamePattern(Array.from({ length: 60 }, (_, i) => `${i}${'y'.repeat(900)}`))).toBeUndefined()
    expect(testNamePattern(['a', 'a', 'b'])).toBe('^(?:a|b)(?: |$)')
  })

  test('a crafted name cannot make the pattern slow (it is an alternation of literals)', () => {
    const pattern = new RegExp(testNamePattern(['(a+)+b', 'a'.repeat(900)])!)
    const started = performance.now()
    pattern.test(`${'a'.repeat(50_000)}!`)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
