// The host reads a shard's report.json instead of its junit.xml (faster); both are written from the same suites. Over
// random reports with hostile text (control characters, ANSI, entities, carriage returns, odd whitespace, lone
// surrogates, texts past the cap) the JSON must read back as exactly what the XML reads back as, key order included.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { renderJUnit } from '../../src/core/junit-write.js'
import { renderShardReport, SHARD_REPORT_FILE } from '../../src/core/shard-report.js'
import { readShardReport } from '../../src/report/read-shard-report.js'
import { type CaseResult, DEFAULT_LIMITS, type JUnitReport, type ReportCase, type ReportSuite } from '../../src/report/types.js'
import { random } from '../helpers/random.js'

const PIECES = [
  'a',
  'Test',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\n  ',
  '&',
  '&amp;',
  '&#13;',
  '&lt;',
  '<',
  '>',
  ']]>',
  '"',
  "'",
  '\x1b[31m',
  '\x1b[0m',
  '\x00',
  '\x0b',
  '\f',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '\ud800',
  '\udc00',
  '😀',
  'é',
  '__proto__',
  '[xtest] property x: y',
  ' > ',
]
const RESULTS: CaseResult[] = ['passed', 'failed', 'error', 'skipped']

function generator(next: (n: number) => number) {
  const text = (): string => {
    if (next(60) === 0) return 'x'.repeat(60_000 + next(20_000)) + PIECES[next(PIECES.length)]
    return Array.from({ length: next(7) }, () => PIECES[next(PIECES.length)]).join('')
  }
  const maybe = (): string | undefined => (next(3) === 0 ? undefined : text())
  const time = (): number => [0, -1, 0.0004, 0.0005, 1.23456, 12_345.6789, 1e21, next(100_000) / 7][next(8)]!
  const fault = () => ({ message: text(), type: text(), body: text() })
  const properties = () => Array.from({ length: next(3) }, () => ({ name: text(), value: text() }))
  const testCase = (): ReportCase => {
    const result = RESULTS[next(4)]!
    const c: ReportCase = { classname: text(), name: text(), time: time(), result, properties: next(3) === 0 ? properties() : [] }
    if (next(2)) c.fault = fault()
    const skip = maybe()
    if (skip !== undefined) c.skipMessage = skip
    if (next(4) === 0) c.flakyFailures = Array.from({ length: next(3) }, fault)
    if (next(4) === 0) c.flaky = true
    const out = maybe()
    if (out !== undefined) c.systemOut = out
    const err = maybe()
    if (err !== undefined) c.systemErr = err
    return c
  }
  const suite = (): ReportSuite => {
    const s: ReportSuite = { name: text(), time: time(), properties: properties(), cases: Array.from({ length: next(4) }, testCase) }
    for (const key of ['timestamp', 'hostname', 'file', 'systemOut', 'systemErr'] as const) {
      const value = maybe()
      if (value !== undefined) s[key] = value
    }
    return s
  }
  return (): JUnitReport => ({ ...(next(4) ? { name: text() } : {}), suites: Array.from({ length: next(4) }, suite) })
}

test('property: report.json reads back as exactly what junit.xml reads back as (600 random reports)', async () => {
  const seed = Number(process.env.XTEST_PROPERTY_SEED ?? Date.now() % 1_000_000)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-shard-report-'))
  const junit = path.join(dir, 'junit.xml')
  const json = path.join(dir, SHARD_REPORT_FILE)
  for (let run = 0; run < 600; run++) {
    const next = random(seed + run)
    const report = generator(next)()
    const limits = { ...DEFAULT_LIMITS, maxTextBytes: [DEFAULT_LIMITS.maxTextBytes, 40, 1000][next(3)]! }
    fs.writeFileSync(junit, renderJUnit(report))
    fs.writeFileSync(json, renderShardReport(report))
    const fromJson = await readShardReport(junit, limits)
    fs.rmSync(json)
    const fromXml = await readShardReport(junit, limits)
    expect(fromXml.ok, `seed ${seed + run}`).toBe(true)
    // No note: the JSON itself was read, not set aside for the XML.
    expect(fromJson.ok && fromJson.value.notes, `seed ${seed + run}`).toEqual([])
    expect(JSON.stringify(fromJson), `seed ${seed + run}`).toBe(JSON.stringify(fromXml))
  }
})

test('a report.json that is not one is set aside with a note and the junit.xml is read', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-shard-report-'))
  const junit = path.join(dir, 'junit.xml')
  const report: JUnitReport = {
    name: 'xtest',
    suites: [
      { name: 'a.test.ts', time: 1, properties: [], cases: [{ classname: 'a', name: 't', time: 1, result: 'failed', properties: [] }] },
    ],
  }
  fs.writeFileSync(junit, renderJUnit(report))
  const xml = await readShardReport(junit, DEFAULT_LIMITS)
  const bad = [
    ['{"format":"xtest-shard-report 1","suites":[{"name":"a.test.ts"', 'not JSON'],
    [
      '{"format":"xtest-shard-report 1","suites":[{"name":"a","time":1,"properties":[],"cases":[{"result":"passed"}]}]}',
      'a classname has the wrong shape',
    ],
    [
      '{"format":"xtest-shard-report 1","suites":[{"__proto__":{"name":"x"},"time":1,"properties":[],"cases":[]}]}',
      'a suite name has the wrong shape',
    ],
    [
      '{"format":"xtest-shard-report 1","suites":[{"name":"a","time":1,"properties":[],"cases":[{"classname":"a","name":"t","time":1,"result":"fine","properties":[]}]}]}',
      'a result is not one of',
    ],
    ['{"suites":[]}', 'not format'],
    ['[]', 'the file has the wrong shape'],
  ]
  for (const [text, why] of bad) {
    fs.writeFileSync(path.join(dir, SHARD_REPORT_FILE), text!)
    const read = await readShardReport(junit, DEFAULT_LIMITS)
    if (!read.ok || !xml.ok) throw new Error('unreadable')
    expect(read.value.report).toEqual(xml.value.report)
    expect(read.value.notes).toEqual([
      expect.stringMatching(new RegExp(`^report\\.json not used \\(.*${why!.replace(/[.*]/g, '\\$&')}.*\\); read junit\\.xml$`)),
    ])
  }
  // A folder, not a file, under the name: set aside as well.
  fs.rmSync(path.join(dir, SHARD_REPORT_FILE))
  fs.mkdirSync(path.join(dir, SHARD_REPORT_FILE))
  expect(await readShardReport(junit, DEFAULT_LIMITS)).toMatchObject({
    ok: true,
    value: { notes: ['report.json not used (not a regular file); read junit.xml'] },
  })
})
