import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import type { ReportSuite } from '../../src/core/junit-report.js'
import { formatSeconds, renderJUnit } from '../../src/core/junit-write.js'
import { escapeXmlAttr, sanitizeText } from '../../src/core/xml-text.js'
import { XSD } from '../fixtures-junit/helpers.js'

const nasty = 'a <b> & "c" \'d\' \u0000nul \u001b[31mred\u001b[0m \uD800lone \uFFFE \u{1F600}\nnext ]]>'

// The shard's data (src/vitest/junit-cases.ts) in the one report shape; the writer is the merge's too.
const suite: ReportSuite = {
  name: 'src/a.test.ts',
  timestamp: '2026-01-01T00:00:00.000Z',
  hostname: 'host',
  time: 1.2345,
  properties: [
    { name: 'container', value: 'amp' },
    { name: 'tier', value: 'fast' },
  ],
  cases: [
    { classname: 'src/a.test.ts', name: 'passes', time: 0.012, result: 'passed', properties: [] },
    {
      classname: 'src/a.test.ts',
      name: nasty,
      time: 0.003,
      result: 'failed',
      fault: { message: nasty, type: 'AssertionError', body: nasty },
      properties: [],
    },
    {
      classname: 'src/a.test.ts',
      name: 'skipped',
      time: 0,
      result: 'skipped',
      skipMessage: "missing module 'x' (container amp)",
      properties: [],
    },
    { classname: 'src/a.test.ts', name: 'bare skip', time: 0, result: 'skipped', properties: [] },
    {
      classname: 'src/a.test.ts',
      name: 'flaky',
      time: 0.005,
      result: 'passed',
      properties: [],
      flakyFailures: [{ message: 'attempt 1', type: 'Error', body: 'Error: attempt 1' }],
      systemOut: '[xtest] retryCount=1 flaky=true',
    },
  ],
}

describe('renderJUnit', () => {
  const xml = renderJUnit({ name: 'xtest', suites: [suite, { ...suite, name: 'empty.test.ts', properties: [], cases: [] }] })

  test('counts tests, failures and skips per suite and in total', () => {
    expect(xml).toContain('<testsuites name="xtest" tests="5" failures="1" errors="0" time="2.469">')
    expect(xml).toContain('tests="5" failures="1" errors="0" skipped="2" time="1.234"')
    expect(xml).toContain(
      '<testsuite name="empty.test.ts" tests="0" failures="0" errors="0" skipped="0" time="1.234" timestamp="2026-01-01T00:00:00.000Z" hostname="host"',
    )
  })

  test('writes skip reasons, flaky attempts and properties', () => {
    expect(xml).toContain('<skipped message="missing module \'x\' (container amp)"/>')
    expect(xml).toContain('<testcase classname="src/a.test.ts" name="bare skip" time="0.000">\n      <skipped/>')
    expect(xml).toContain('<flakyFailure message="attempt 1" type="Error">Error: attempt 1</flakyFailure>')
    expect(xml).toContain('<property name="container" value="amp"/>')
  })

  test('escapes markup, strips ANSI and replaces characters XML 1.0 forbids', () => {
    expect(xml).not.toMatch(/[\u0000\u001b\uFFFE]/)
    expect(xml).toContain('name="a &lt;b&gt; &amp; &quot;c&quot; \'d\' \uFFFDnul red \uFFFDlone \uFFFD \u{1F600}&#10;next ]]&gt;"')
    expect(xml).toContain('>a &lt;b&gt; &amp; "c" \'d\' \uFFFDnul red \uFFFDlone \uFFFD \u{1F600}\nnext ]]&gt;</failure>')
  })

  test('validates against junit-10.xsd', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-junit-')), 'junit.xml')
    fs.writeFileSync(file, xml)
    expect(() => execFileSync('xmllint', ['--noout', '--nonet', '--schema', XSD, file], { stdio: 'pipe' })).not.toThrow()
    fs.rmSync(path.dirname(file), { recursive: true })
  })
})

describe('text helpers', () => {
  test('formatSeconds gives milliseconds precision and never a negative or NaN', () => {
    expect([formatSeconds(1.5), formatSeconds(0.0004), formatSeconds(-1), formatSeconds(Number.NaN)]).toEqual([
      '1.500',
      '0.000',
      '0.000',
      '0.000',
    ])
  })

  test('attributes keep line breaks and tabs as character references', () => {
    expect(escapeXmlAttr('a\nb\tc\rd')).toBe('a&#10;b&#9;c&#13;d')
  })

  test('sanitizing keeps the head and the tail of over-long text', () => {
    const long = `${'h'.repeat(50_000)}${'t'.repeat(50_000)}`
    const clean = sanitizeText(long, 64 * 1024)
    expect(Buffer.byteLength(clean)).toBeLessThanOrEqual(64 * 1024)
    expect(clean).toMatch(/^h+\n\[xtest: \d+ of \d+ bytes cut here\]\nt+$/)
  })
})
