// The one JUnit writer: the shard's junit.xml (inside the container) and the merged report (on the host) both come
// from here, so they share element and attribute order, escaping, sanitizing and the UTF-8 byte cap of every text.
// It writes the subset that test/schema/junit-10.xsd validates.
import { type Counts, countCases, countSuites, type Fault, type JUnitReport, type ReportCase, type ReportSuite } from './junit-report.js'
import { escapeXmlAttr, escapeXmlText, sanitizeText } from './xml-text.js'

/** Cap of every text node and attribute value, in UTF-8 bytes (a 100 MB assertion message must not make a 100 MB report); cuts fall on character boundaries. */
export const MAX_TEXT_BYTES = 64 * 1024

/** Seconds with millisecond precision, as junit-10.xsd's SUREFIRE_TIME wants them: no exponent, never negative. */
export const formatSeconds = (seconds: number): string => (Number.isFinite(seconds) && seconds > 0 ? seconds : 0).toFixed(3)

const totalsAttrs = (counts: Counts): string => `tests="${counts.tests}" failures="${counts.failed}" errors="${counts.errors}"`

// The schema has no testcase properties: they (and the flaky mark) go first in system-out.
export function caseOutput(testCase: ReportCase): string | undefined {
  const lines = testCase.properties.map(({ name, value }) => `[xtest] property ${name}: ${value}`)
  if (testCase.flaky) {
    lines.push(
      testCase.result === 'passed'
        ? '[xtest] flaky: passed after failed attempts'
        : '[xtest] flaky: another copy of this test passed in the same run',
    )
  }
  if (testCase.systemOut !== undefined) lines.push(testCase.systemOut)
  return lines.length > 0 ? lines.join('\n') : undefined
}

class Writer {
  constructor(private readonly maxTextBytes: number) {}

  /** Strips ANSI, replaces characters XML 1.0 forbids, caps the size and escapes: every attribute value goes through it. */
  attr(value: string): string {
    return escapeXmlAttr(sanitizeText(value, this.maxTextBytes))
  }

  text(value: string): string {
    return escapeXmlText(sanitizeText(value, this.maxTextBytes))
  }

  fault(tag: string, fault: Fault): string {
    const head = `<${tag} message="${this.attr(fault.message)}" type="${this.attr(fault.type)}"`
    return fault.body ? `${head}>${this.text(fault.body)}</${tag}>` : `${head}/>`
  }

  testCase(testCase: ReportCase): string {
    const head = `    <testcase classname="${this.attr(testCase.classname)}" name="${this.attr(testCase.name)}" time="${formatSeconds(testCase.time)}"`
    const parts: string[] = []
    if (testCase.result === 'skipped')
      parts.push(testCase.skipMessage ? `<skipped message="${this.attr(testCase.skipMessage)}"/>` : '<skipped/>')
    // The element follows the result, so the totals (counted from results) always match the elements.
    if (testCase.result === 'failed' || testCase.result === 'error') {
      parts.push(this.fault(testCase.result === 'failed' ? 'failure' : 'error', testCase.fault ?? { message: '', type: '', body: '' }))
    }
    for (const attempt of testCase.flakyFailures ?? []) parts.push(this.fault('flakyFailure', attempt))
    const out = caseOutput(testCase)
    if (out !== undefined) parts.push(`<system-out>${this.text(out)}</system-out>`)
    if (testCase.systemErr !== undefined) parts.push(`<system-err>${this.text(testCase.systemErr)}</system-err>`)
    return parts.length === 0 ? `${head}/>\n` : `${head}>\n${parts.map((part) => `      ${part}\n`).join('')}    </testcase>\n`
  }

  suite(suite: ReportSuite): string {
    const counts = countCases(suite.cases)
    let optional = ''
    if (suite.timestamp) optional += ` timestamp="${this.attr(suite.timestamp)}"`
    if (suite.hostname) optional += ` hostname="${this.attr(suite.hostname)}"`
    if (suite.file) optional += ` file="${this.attr(suite.file)}"`
    let xml = `  <testsuite name="${this.attr(suite.name)}" ${totalsAttrs(counts)} skipped="${counts.skipped}" time="${formatSeconds(suite.time)}"${optional}>\n`
    if (suite.properties.length > 0) {
      xml += '    <properties>\n'
      for (const { name, value } of suite.properties) xml += `      <property name="${this.attr(name)}" value="${this.attr(value)}"/>\n`
      xml += '    </properties>\n'
    }
    for (const testCase of suite.cases) xml += this.testCase(testCase)
    if (suite.systemOut !== undefined) xml += `    <system-out>${this.text(suite.systemOut)}</system-out>\n`
    if (suite.systemErr !== undefined) xml += `    <system-err>${this.text(suite.systemErr)}</system-err>\n`
    return `${xml}  </testsuite>\n`
  }
}

/** The report as XML, one chunk per suite, so that a large report is never one string. Totals are counted from the cases. */
export function* renderJUnitChunks(report: JUnitReport, maxTextBytes = MAX_TEXT_BYTES): Generator<string> {
  const writer = new Writer(maxTextBytes)
  const totals = countSuites(report.suites)
  const name = report.name === undefined ? '' : `name="${writer.attr(report.name)}" `
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${name}${totalsAttrs(totals)} time="${formatSeconds(totals.time)}">\n`
  for (const suite of report.suites) yield writer.suite(suite)
  yield '</testsuites>\n'
}

export const renderJUnit = (report: JUnitReport, maxTextBytes = MAX_TEXT_BYTES): string =>
  [...renderJUnitChunks(report, maxTextBytes)].join('')
