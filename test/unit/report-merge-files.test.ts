import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { exitCodeFor, mergeJUnitFiles, readJUnit } from '../../src/report/index.js'
import { ConfigError } from '../../src/shared/errors.js'
import { fixture, schemaErrors, tempDir } from '../fixtures-junit/helpers.js'

const write = (dir: string, name: string, xml: string): string => {
  const path = join(dir, name)
  writeFileSync(path, xml)
  return path
}
const suite = (name: string, cases: string) => `<testsuite name="${name}" time="1">${cases}</testsuite>`
const testcase = (classname: string, name: string, body = '') => `<testcase classname="${classname}" name="${name}" time="0.5">${body}</testcase>`

describe('mergeJUnitFiles', () => {
  test('reports from several machines: same-name suites joined, each (suite, classname, name) kept once', async () => {
    const dir = tempDir()
    const a = write(dir, 'a.xml', `<testsuites>${suite('amp/fast/src/a.test.ts', testcase('src/a.test.ts', 'one') + testcase('src/a.test.ts', 'twin') + testcase('src/a.test.ts', 'twin'))}</testsuites>`)
    const b = write(dir, 'b.xml', `<testsuites>${suite('amp/fast/src/a.test.ts', testcase('src/a.test.ts', 'one') + testcase('src/a.test.ts', 'two'))}${suite('opt/fast/src/b.test.ts', testcase('src/b.test.ts', 'b', '<failure message="boom"/>'))}</testsuites>`)
    const again = write(dir, 'a-again.xml', readFileSync(a, 'utf8'))
    const out = join(dir, 'out', 'merged.xml')
    const summary = await mergeJUnitFiles([a, b, again], out)
    expect(schemaErrors(out)).toBe('')
    const read = await readJUnit(out)
    if (!read.ok) throw new Error(read.message)
    expect(read.report.suites.map((s) => [s.name, s.cases.map((c) => c.name)])).toEqual([
      ['amp/fast/src/a.test.ts', ['one', 'twin', 'twin', 'two']],
      ['opt/fast/src/b.test.ts', ['b']],
    ])
    expect(read.report.suites[0]!.time).toBe(2)
    expect(summary.notes).toEqual([
      `${b}: dropped 1 testcase(s) already merged from an earlier file (same suite, classname and name)`,
      `${again}: dropped 3 testcase(s) already merged from an earlier file (same suite, classname and name)`,
    ])
    expect(summary.totals).toMatchObject({ tests: 5, passed: 4, failed: 1 })
    expect(exitCodeFor(summary)).toBe(1)
  })

  test('merging xtest-made reports keeps their container × tier rows and shard statuses', async () => {
    const dir = tempDir()
    const props = (container: string, status: string) =>
      `<properties><property name="container" value="${container}"/><property name="tier" value="fast"/><property name="shard" value="${container}.fast"/><property name="status" value="${status}"/><property name="duration_ms" value="4000"/></properties>`
    const a = write(dir, 'a.xml', `<testsuites><testsuite name="amp/fast/src/a.test.ts" file="src/a.test.ts">${props('amp', 'passed')}${testcase('src/a.test.ts', 'x')}</testsuite></testsuites>`)
    const b = write(dir, 'b.xml', `<testsuites><testsuite name="opt/fast" >${props('opt', 'infra')}${testcase('opt/fast', '[xtest] infra', '<error type="xtest.infra" message="engine down"/>')}</testsuite></testsuites>`)
    const summary = await mergeJUnitFiles([a, b], join(dir, 'out.xml'))
    expect(summary.rows.map((row) => [row.container, row.tier, row.statuses, row.shardMs])).toEqual([
      ['amp', 'fast', ['passed'], 4000], ['opt', 'fast', ['infra'], 4000],
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
    expect((error as ConfigError).message).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a usable JUnit report \\(${kind}\\): `))
    expect(() => readFileSync(out)).toThrow()
  })

  test('no input files is a usage error', async () => {
    await expect(mergeJUnitFiles([], 'out.xml')).rejects.toMatchObject({ exitCode: 2, code: 'XTEST_MERGE_NO_INPUT' })
  })
})
