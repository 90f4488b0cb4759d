import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { ReadResult, ReportCase } from '../../src/report/index.js'
import { parseJUnit, readJUnit } from '../../src/report/index.js'
import { fixture, tempDir } from '../fixtures-junit/helpers.js'

const okReport = (result: ReadResult) => {
  if (!result.ok) throw new Error(`expected a report, got ${result.kind}: ${result.message}`)
  return result.value
}
const allCases = (result: ReadResult): ReportCase[] => okReport(result).report.suites.flatMap((suite) => suite.cases)

describe('readJUnit on real-shaped shard output', () => {
  test('Vitest 4.1 JUnit: suites, results, entities, console output, annotations', async () => {
    const { report, notes } = okReport(await readJUnit(fixture('vitest-4.1-amp-fast.xml')))
    expect(notes).toEqual([])
    expect(report.name).toBe('vitest tests')
    expect(report.suites.map((suite) => [suite.name, suite.cases.length])).toEqual([
      ['src/a.test.ts', 7],
      ['src/sub/b.test.ts', 1],
      ['src/sub/c.test.ts', 1],
    ])
    const [adds, fails, skipped, todo, annotated] = report.suites[0]!.cases
    expect(adds).toMatchObject({ classname: 'src/a.test.ts', name: 'math > adds', result: 'passed' })
    expect(adds!.systemOut).toBe('hello [31mred[0m <tag> & "q"')
    expect(fails!.result).toBe('failed')
    expect(fails!.fault!.type).toBe('AssertionError')
    expect(fails!.fault!.message).toBe("expected { a: 1, s: 'x]]>y' } to deeply equal { a: 2, s: 'x]]>y' }")
    expect(fails!.fault!.body).toContain('❯ src/a.test.ts:4:54')
    expect([skipped!.result, todo!.result]).toEqual(['skipped', 'skipped'])
    expect(annotated!.properties).toEqual([{ name: 'notice', value: 'see ticket 12' }])
    expect(report.suites[1]!.cases[0]!.systemErr).toBe('to stderr')
    expect(report.suites[0]!.time).toBeCloseTo(0.024342118)
  })

  test('xtest reporter style: skip reasons, suite properties, flaky attempts, empty suites', async () => {
    const { report } = okReport(await readJUnit(fixture('xtest-reporter-opt-slow.xml')))
    const [solver, mesh, unhandled] = report.suites
    expect(solver!.properties).toContainEqual({ name: 'image_id', value: 'sha256:0123abcd' })
    expect(solver!.cases.map((testCase) => [testCase.name, testCase.result, testCase.flaky ?? false])).toEqual([
      ['solver > converges', 'passed', false],
      ['solver > needs gpu', 'skipped', false],
      ['solver > retried', 'passed', true],
      ['solver > diverges', 'failed', false],
    ])
    expect(solver!.cases[1]!.skipMessage).toBe("importOrSkip: module 'cuda-bindings' is not installed")
    expect(mesh).toMatchObject({ name: 'grid/mesh.test.ts', cases: [] })
    expect(unhandled!.cases[0]!.fault!.type).toBe('UnhandledError')
  })

  test('a single <testsuite> root is JUnit too', async () => {
    expect(allCases(await readJUnit(fixture('single-suite-root.xml'))).map((testCase) => testCase.name)).toEqual(['adds'])
  })
})

describe('readJUnit on bad input: a typed problem, never a throw', () => {
  test.each([
    ['empty.xml', 'empty'],
    ['truncated.xml', 'not-well-formed'],
    ['billion-laughs.xml', 'doctype'],
    ['wrong-root.xml', 'not-junit'],
    ['does-not-exist.xml', 'missing'],
  ])('%s → %s', async (name, kind) => {
    const result = await readJUnit(fixture(name))
    expect(result).toMatchObject({ ok: false, kind })
  })

  test('the wrong root element is named', async () => {
    expect(await readJUnit(fixture('wrong-root.xml'))).toMatchObject({
      message: 'not JUnit: root element <html>, expected <testsuites> or <testsuite>',
    })
  })

  test('an external entity is refused before parsing, and the file it names is never read', () => {
    const secret = join(tempDir(), 'secret.txt')
    writeFileSync(secret, 'TOP-SECRET-42')
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY xxe SYSTEM "file://${secret}">]>\n<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="x">&xxe;</testcase></testsuite></testsuites>`
    const result = parseJUnit(xml)
    expect(result).toMatchObject({ ok: false, kind: 'doctype' })
    expect(JSON.stringify(result)).not.toContain('TOP-SECRET-42')
  })

  test.each([
    ['lower-case doctype', '<!doctype x><testsuites/>'],
    ['an entity declaration without a doctype', '<testsuites><!ENTITY a "b"></testsuites>'],
    ['a doctype after a comment', '<!-- hi --><!DOCTYPE x SYSTEM "http://example.com/x.dtd"><testsuites/>'],
  ])('refuses %s', (_name, xml) => {
    expect(parseJUnit(xml)).toMatchObject({ ok: false, kind: 'doctype' })
  })

  test('a DOCTYPE inside CDATA or a comment is text, not a DTD', () => {
    const xml =
      '<testsuites><!-- <!DOCTYPE c> --><testsuite name="a" tests="1" failures="1" errors="0"><testcase name="x"><failure message="m"><![CDATA[got <!DOCTYPE html><html>]]></failure></testcase></testsuite></testsuites>'
    expect(allCases(parseJUnit(xml))[0]!.fault!.body).toBe('got <!DOCTYPE html><html>')
  })

  test('a file over the size limit is refused unread', async () => {
    const result = await readJUnit(fixture('vitest-4.1-amp-fast.xml'), { maxInputBytes: 100 })
    expect(result).toMatchObject({ ok: false, kind: 'too-large' })
  })

  test('a folder is not a report', async () => {
    const dir = join(tempDir(), 'junit.xml')
    mkdirSync(dir)
    expect(await readJUnit(dir)).toMatchObject({ ok: false, kind: 'unreadable' })
  })
})

describe('readJUnit cleans what it keeps', () => {
  test('control characters and ANSI escapes in names and failure messages', async () => {
    const [testCase] = allCases(await readJUnit(fixture('control-chars.xml')))
    expect(testCase!.name).toBe('prints red')
    expect(testCase!.fault!.message).toBe('bell \uFFFD nul-ref \uFFFD esc-ref bold vt \uFFFD ff \uFFFD')
    expect(testCase!.fault!.body).toBe('raw: \uFFFD\uFFFD\uFFFD green fffe-ref: \uFFFD lone-surrogate-ref: \uFFFD ok: 😀 <tag> x]]>y')
  })

  test('`__proto__`, `constructor` and `prototype` names pollute nothing and are noted', async () => {
    const result = okReport(await readJUnit(fixture('proto.xml')))
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.getPrototypeOf(result.report.suites[0])).toBe(Object.prototype)
    expect(result.report.suites[0]!.cases.map((testCase) => testCase.name)).toEqual(['__proto__', 'constructor'])
    expect(result.report.suites[0]!.properties).toEqual([
      { name: '__proto__', value: 'polluted' },
      { name: 'constructor', value: 'polluted' },
    ])
    expect(result.notes).toEqual([
      'ignored elements or attributes named "__proto__"',
      'ignored elements or attributes named "constructor"',
      'ignored elements or attributes named "prototype"',
    ])
  })

  test.each(['utf8-bom.xml', 'utf16le-bom.xml', 'utf16be-bom.xml'])('%s decodes', async (name) => {
    expect(allCases(await readJUnit(fixture(name)))[0]!.name).toBe('ümlaut ✓ 😀')
  })

  test('an encoding named in the declaration (ISO-8859-1)', async () => {
    expect(allCases(await readJUnit(fixture('latin1.xml')))[0]!.name).toBe('ümlaut café')
  })

  test('1 MB of output in one testcase keeps its head and tail within the cap', () => {
    const output = `HEAD${'x'.repeat(1024 * 1024)}TAIL`
    const xml = `<testsuites><testsuite name="a"><testcase name="big"><system-out>${output}</system-out></testcase></testsuite></testsuites>`
    const kept = allCases(parseJUnit(xml, { maxTextBytes: 64 * 1024 }))[0]!.systemOut!
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(64 * 1024)
    expect(kept.startsWith('HEADxxx')).toBe(true)
    expect(kept.endsWith('xxxTAIL')).toBe(true)
    expect(kept).toMatch(/\[xtest: \d+ of 1048584 bytes cut here\]/)
  })

  test('many numeric references decode in one linear pass', () => {
    const xml = `<testsuites><testsuite name="a"><testcase name="${'&#65;'.repeat(90_000)}"/></testsuite></testsuites>`
    const started = performance.now()
    const [testCase] = allCases(parseJUnit(xml))
    expect(testCase!.name).toMatch(/^A{1000}.*\[xtest: \d+ of 90000 bytes cut here\].*A{1000}$/s)
    expect(performance.now() - started).toBeLessThan(2000)
  })

  test('a flood of numeric references is refused before parsing', () => {
    const xml = `<testsuites><testsuite name="a"><testcase name="${'&#65;'.repeat(1_000_000)}"/></testsuite></testsuites>`
    const started = performance.now()
    expect(parseJUnit(xml)).toMatchObject({ ok: false, kind: 'not-well-formed' })
    expect(performance.now() - started).toBeLessThan(500)
  })
})
