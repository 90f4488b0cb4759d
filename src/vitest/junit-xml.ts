// Hand-written JUnit XML (the shard has no packages): the subset that junit-10.xsd validates.
import { escapeXmlAttr, escapeXmlText, sanitizeText } from '../core/xml-text.js'

/** One failure, skip reason or failed attempt of a testcase. */
export interface JUnitProblem {
  message: string
  type: string
  body: string
}

export interface JUnitCase {
  classname: string
  name: string
  /** Milliseconds. */
  durationMs: number
  status: 'passed' | 'failed' | 'skipped'
  /** For failed: what failed. For skipped: `message` is the reason ('' when none was given). */
  problem?: JUnitProblem
  /** Failed attempts of a test that passed on retry. */
  flakyFailures?: JUnitProblem[]
  systemOut?: string
}

export interface JUnitSuite {
  name: string
  timestamp: string
  hostname: string
  durationMs: number
  properties: Array<[string, string]>
  cases: JUnitCase[]
}

/** Cap of every text node and attribute value (RELIABILITY.md #15), in UTF-8 bytes as in the merged report. */
const MAX_TEXT_BYTES = 64 * 1024

/** Strips ANSI, replaces characters XML 1.0 forbids with U+FFFD and keeps head and tail of over-long text. */
export const cleanText = (text: string): string => sanitizeText(text, MAX_TEXT_BYTES)
export const escapeText = (text: string): string => escapeXmlText(cleanText(text))
// Attribute values also keep their quotes and line breaks.
export const escapeAttribute = (text: string): string => escapeXmlAttr(cleanText(text))

/** Seconds with millisecond precision, in the form SUREFIRE_TIME accepts. */
export function formatSeconds(ms: number): string {
  return (Math.max(0, Number.isFinite(ms) ? ms : 0) / 1000).toFixed(3)
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values).map(([key, value]) => ` ${key}="${escapeAttribute(String(value))}"`).join('')
}

function renderProblem(tag: string, problem: JUnitProblem): string {
  const head = `<${tag}${attributes({ message: problem.message, type: problem.type })}`
  return problem.body ? `${head}>${escapeText(problem.body)}</${tag}>` : `${head}/>`
}

function renderCase(test: JUnitCase): string {
  const children: string[] = []
  if (test.status === 'skipped') {
    children.push(test.problem?.message ? `<skipped${attributes({ message: test.problem.message })}/>` : '<skipped/>')
  } else if (test.status === 'failed' && test.problem) {
    children.push(renderProblem('failure', test.problem))
  }
  for (const attempt of test.flakyFailures ?? []) children.push(renderProblem('flakyFailure', attempt))
  if (test.systemOut) children.push(`<system-out>${escapeText(test.systemOut)}</system-out>`)
  const open = `    <testcase${attributes({ classname: test.classname, name: test.name, time: formatSeconds(test.durationMs) })}`
  return children.length ? `${open}>\n${children.map((c) => `      ${c}\n`).join('')}    </testcase>` : `${open}/>`
}

function countCases(suite: JUnitSuite, status: JUnitCase['status']): number {
  return suite.cases.filter((test) => test.status === status).length
}

function renderSuite(suite: JUnitSuite): string {
  const head = `  <testsuite${attributes({
    name: suite.name, timestamp: suite.timestamp, hostname: suite.hostname, tests: suite.cases.length,
    failures: countCases(suite, 'failed'), errors: 0, skipped: countCases(suite, 'skipped'), time: formatSeconds(suite.durationMs),
  })}>`
  const properties = suite.properties.length
    ? [`    <properties>`, ...suite.properties.map(([name, value]) => `      <property${attributes({ name, value })}/>`), `    </properties>`]
    : []
  return [head, ...properties, ...suite.cases.map(renderCase), '  </testsuite>'].join('\n')
}

/** The whole report: one `<testsuites>` with a `<testsuite>` per test module. */
export function renderJUnit(suites: JUnitSuite[], name = 'xtest'): string {
  const tests = suites.reduce((sum, suite) => sum + suite.cases.length, 0)
  const failures = suites.reduce((sum, suite) => sum + countCases(suite, 'failed'), 0)
  const time = suites.reduce((sum, suite) => sum + suite.durationMs, 0)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name, tests, failures, errors: 0, time: formatSeconds(time) })}>`,
    ...suites.map(renderSuite),
    '</testsuites>',
    '',
  ].join('\n')
}
