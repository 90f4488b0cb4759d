// Serializes a JUnitReport suite by suite into the shape junit-10.xsd accepts, streaming to a temp file.
import { randomUUID } from 'node:crypto'
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ConfigError } from '../core/errors.js'
import { describeFileKind } from '../shared/write-faults.js'
import { escapeXmlAttr as attr, escapeXmlText as text } from '../core/xml-text.js'
import { countCases, countSuites } from './counts.js'
import type { Counts, JUnitReport, ReportCase, ReportSuite } from './types.js'

/** Seconds as junit-10.xsd's SUREFIRE_TIME wants them: digits, a dot, no exponent, never negative. */
export const formatSeconds = (seconds: number): string =>
  Number.isFinite(seconds) && seconds > 0 ? seconds.toFixed(3) : '0'

const totalsAttrs = (counts: Counts): string =>
  `tests="${counts.tests}" failures="${counts.failed}" errors="${counts.errors}"`

// The schema has no testcase properties: they (and the flaky mark) go first in system-out.
function caseOutput(testCase: ReportCase): string | undefined {
  const lines = testCase.properties.map(({ name, value }) => `[xtest] property ${name}: ${value}`)
  if (testCase.flaky) {
    lines.push(testCase.result === 'passed' ? '[xtest] flaky: passed after failed attempts' : '[xtest] flaky: another copy of this test passed in the same run')
  }
  if (testCase.systemOut !== undefined) lines.push(testCase.systemOut)
  return lines.length > 0 ? lines.join('\n') : undefined
}

function renderCase(testCase: ReportCase): string {
  const head = `    <testcase classname="${attr(testCase.classname)}" name="${attr(testCase.name)}" time="${formatSeconds(testCase.time)}"`
  const parts: string[] = []
  if (testCase.result === 'skipped') {
    parts.push(testCase.skipMessage ? `<skipped message="${attr(testCase.skipMessage)}"/>` : '<skipped/>')
  }
  // The element follows the result, so the totals (counted from results) always match the elements.
  if (testCase.result === 'failed' || testCase.result === 'error') {
    const fault = testCase.fault ?? { message: '', type: '', body: '' }
    const tag = testCase.result === 'failed' ? 'failure' : 'error'
    parts.push(`<${tag} message="${attr(fault.message)}" type="${attr(fault.type)}">${text(fault.body)}</${tag}>`)
  }
  const out = caseOutput(testCase)
  if (out !== undefined) parts.push(`<system-out>${text(out)}</system-out>`)
  if (testCase.systemErr !== undefined) parts.push(`<system-err>${text(testCase.systemErr)}</system-err>`)
  return parts.length === 0 ? `${head}/>\n` : `${head}>\n${parts.map((part) => `      ${part}\n`).join('')}    </testcase>\n`
}

function renderSuite(suite: ReportSuite): string {
  const counts = countCases(suite.cases)
  let optional = ''
  if (suite.timestamp) optional += ` timestamp="${attr(suite.timestamp)}"`
  if (suite.hostname) optional += ` hostname="${attr(suite.hostname)}"`
  if (suite.file) optional += ` file="${attr(suite.file)}"`
  let xml = `  <testsuite name="${attr(suite.name)}" ${totalsAttrs(counts)} skipped="${counts.skipped}" time="${formatSeconds(suite.time)}"${optional}>\n`
  if (suite.properties.length > 0) {
    xml += '    <properties>\n'
    for (const { name, value } of suite.properties) xml += `      <property name="${attr(name)}" value="${attr(value)}"/>\n`
    xml += '    </properties>\n'
  }
  for (const testCase of suite.cases) xml += renderCase(testCase)
  if (suite.systemOut !== undefined) xml += `    <system-out>${text(suite.systemOut)}</system-out>\n`
  if (suite.systemErr !== undefined) xml += `    <system-err>${text(suite.systemErr)}</system-err>\n`
  return `${xml}  </testsuite>\n`
}

/** The report as XML, one chunk per suite, so that a large report is never one string. */
export function* renderJUnitChunks(report: JUnitReport): Generator<string> {
  const totals = countSuites(report.suites)
  const name = report.name === undefined ? '' : `name="${attr(report.name)}" `
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${name}${totalsAttrs(totals)} time="${formatSeconds(totals.time)}">\n`
  for (const suite of report.suites) yield renderSuite(suite)
  yield '</testsuites>\n'
}

export const renderJUnit = (report: JUnitReport): string => [...renderJUnitChunks(report)].join('')

/**
 * A report replaces its target by renaming a temp file over it: only a regular file (or nothing) may be replaced.
 * Renaming over /dev/null as root would replace the device; over a folder it fails with a stack trace.
 */
export async function assertReplaceable(path: string): Promise<void> {
  const target = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (target && !target.isFile()) throw new ConfigError(`${path} is ${describeFileKind(target)}, not a regular file: give a file path for the report`, 'XTEST_REPORT_PATH')
}

/** Writes the report to `path` atomically (temp file in the same folder, then rename). Creates the folder. */
export async function writeJUnit(report: JUnitReport, path: string): Promise<void> {
  await assertReplaceable(path)
  await mkdir(dirname(path), { recursive: true })
  const temp = `${path}.${randomUUID()}.tmp`
  try {
    const handle = await open(temp, 'wx')
    try {
      let pending = ''
      for (const chunk of renderJUnitChunks(report)) {
        pending += chunk
        if (pending.length >= 1 << 20) {
          await handle.write(pending)
          pending = ''
        }
      }
      await handle.write(pending)
    } finally {
      await handle.close()
    }
    await assertReplaceable(path)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
