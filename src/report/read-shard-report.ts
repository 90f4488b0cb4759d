// A shard's results: its report.json (core/shard-report.ts) when that reads as one, else its junit.xml. The JSON is
// untrusted data like the XML, and becomes exactly what reading the XML gives (the property test holds the two
// equal): every text capped and sanitized as the writer and the reader of the XML do it, element text trimmed as the
// XML reader trims it, testcase properties and the flaky mark moved into system-out, times to the millisecond, a
// case flaky only when it passed after failed attempts. A report.json that is missing, oversized, not JSON or of
// another shape is set aside and the junit.xml read as before.
import path from 'node:path'
import { caseOutput, formatSeconds, MAX_TEXT_BYTES } from '../core/junit-write.js'
import { fail, ok, parseJson, type Result } from '../core/result.js'
import { SHARD_REPORT_FILE, SHARD_REPORT_FORMAT } from '../core/shard-report.js'
import { sanitizeText } from '../core/xml-text.js'
import { readJUnit, readReportBytes } from './read-junit.js'
import type { CaseResult, Fault, JUnitReport, ReadResult, ReportCase, ReportLimits, ReportProperty, ReportSuite } from './types.js'

/** The shard's report beside its `junit.xml` path: report.json if it is one, else the junit.xml. */
export async function readShardReport(junitPath: string, limits: ReportLimits): Promise<ReadResult> {
  const json = await readShardJson(path.join(path.dirname(junitPath), SHARD_REPORT_FILE), limits)
  if (json.ok) return ok({ report: json.value, notes: [] })
  const xml = await readJUnit(junitPath, limits)
  if (json.kind === 'missing' || !xml.ok) return xml
  return ok({ ...xml.value, notes: [...xml.value.notes, `${SHARD_REPORT_FILE} not used (${json.message}); read junit.xml`] })
}

type Problem = 'missing' | 'unusable'

async function readShardJson(file: string, limits: ReportLimits): Promise<Result<JUnitReport, Problem>> {
  const bytes = await readReportBytes(file, limits.maxInputBytes)
  if (!bytes.ok) return fail(bytes.message, bytes.kind === 'missing' ? 'missing' : 'unusable')
  const parsed = parseJson(bytes.value.toString('utf8'))
  if (!parsed.ok) return fail(parsed.message, 'unusable')
  try {
    return ok(asReadFromXml(parsed.value, limits.maxTextBytes))
  } catch (error) {
    return fail(error instanceof ShapeError ? error.message : `unreadable (${String(error)})`, 'unusable')
  }
}

class ShapeError extends Error {}

const RESULTS = new Set<string>(['passed', 'failed', 'error', 'skipped'])

type Data = Record<string, unknown>
const isData = (value: unknown): value is Data => typeof value === 'object' && value !== null && !Array.isArray(value)

function need<T>(value: unknown, is: (value: unknown) => value is T, what: string): T {
  if (!is(value)) throw new ShapeError(`${SHARD_REPORT_FILE}: ${what} has the wrong shape`)
  return value
}
const isString = (value: unknown): value is string => typeof value === 'string'
const isNumber = (value: unknown): value is number => typeof value === 'number'
const isArray = (value: unknown): value is unknown[] => Array.isArray(value)
const optional = <T>(value: unknown, is: (value: unknown) => value is T, what: string): T | undefined =>
  value === undefined ? undefined : need(value, is, what)

/** The report as the XML reader would give it back after the XML writer wrote it. */
function asReadFromXml(data: unknown, maxTextBytes: number): JUnitReport {
  const top = need(data, isData, 'the file')
  if (top.format !== SHARD_REPORT_FORMAT) throw new ShapeError(`${SHARD_REPORT_FILE}: not format "${SHARD_REPORT_FORMAT}"`)
  const read = new XmlRoundTrip(maxTextBytes)
  const suites = need(top.suites, isArray, 'suites').map((suite) => read.suite(need(suite, isData, 'a suite')))
  const name = read.attr(optional(top.name, isString, 'the name'))
  return name ? { name, suites } : { suites }
}

// Optional fields stay absent rather than undefined or empty, as the XML reader leaves them.
function assignDefined<T extends object>(target: T, values: Partial<T>): T {
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') Object.assign(target, { [key]: value })
  return target
}

class XmlRoundTrip {
  constructor(private readonly maxTextBytes: number) {}

  // The writer's cap and sanitizing, then the reader's.
  attr(value: string | undefined): string | undefined {
    return value === undefined ? undefined : sanitizeText(sanitizeText(value, MAX_TEXT_BYTES), this.maxTextBytes)
  }

  // The XML reader drops a leading indentation line and trailing whitespace of element text, where the XML carries a
  // carriage return as a character reference (`&#13;`): that one is no whitespace to it.
  text(value: string | undefined): string | undefined {
    if (value === undefined) return undefined
    const written = sanitizeText(value, MAX_TEXT_BYTES)
    const trimmed = written.replace(/^[ \t]*\n/, '').replace(/[^\S\r]+$/, '')
    return trimmed === '' ? '' : sanitizeText(trimmed, this.maxTextBytes)
  }

  seconds(value: number): number {
    return Number(formatSeconds(value))
  }

  fault(data: unknown): Fault {
    const fault = optional(data, isData, 'a failure') ?? {}
    return {
      message: this.attr(need(fault.message ?? '', isString, 'a failure message'))!,
      type: this.attr(need(fault.type ?? '', isString, 'a failure type'))!,
      body: this.text(need(fault.body ?? '', isString, 'a failure body'))!,
    }
  }

  testCase(data: Data): ReportCase {
    const result = need(data.result, isString, 'a result') as CaseResult
    if (!RESULTS.has(result)) throw new ShapeError(`${SHARD_REPORT_FILE}: a result is not one of ${[...RESULTS].join(', ')}`)
    const written: ReportCase = {
      classname: need(data.classname, isString, 'a classname'),
      name: need(data.name, isString, 'a test name'),
      time: need(data.time, isNumber, 'a time'),
      result,
      properties: this.properties(data.properties),
    }
    const flakyFailures = optional(data.flakyFailures, isArray, 'the flaky failures') ?? []
    const flaky = optional(data.flaky, (value): value is boolean => typeof value === 'boolean', 'the flaky mark')
    if (flaky) written.flaky = true
    const systemOut = optional(data.systemOut, isString, 'system-out')
    if (systemOut !== undefined) written.systemOut = systemOut
    const skipMessage = optional(data.skipMessage, isString, 'a skip message')
    const testCase: ReportCase = {
      classname: this.attr(written.classname)!,
      name: this.attr(written.name)!,
      time: this.seconds(written.time),
      result,
      properties: [],
    }
    return assignDefined(testCase, {
      fault: result === 'failed' || result === 'error' ? this.fault(data.fault) : undefined,
      skipMessage: result === 'skipped' && skipMessage ? this.attr(skipMessage) : undefined,
      systemOut: this.text(caseOutput(written)),
      systemErr: this.text(optional(data.systemErr, isString, 'system-err')),
      flaky: (result === 'passed' && flakyFailures.length > 0) || undefined,
    })
  }

  properties(data: unknown): ReportProperty[] {
    return need(data, isArray, 'properties').map((entry) => {
      const property = need(entry, isData, 'a property')
      return { name: need(property.name, isString, 'a property name'), value: need(property.value, isString, 'a property value') }
    })
  }

  suite(data: Data): ReportSuite {
    const cases = need(data.cases, isArray, 'cases').map((entry) => this.testCase(need(entry, isData, 'a testcase')))
    const suite: ReportSuite = {
      name: this.attr(need(data.name, isString, 'a suite name')) || '(unnamed suite)',
      time: this.seconds(need(data.time, isNumber, 'a suite time')),
      properties: this.properties(data.properties).map(({ name, value }) => ({ name: this.attr(name)!, value: this.attr(value)! })),
      cases,
    }
    const optionalAttr = (value: unknown, what: string) => {
      const text = optional(value, isString, what)
      return text ? this.attr(text) : undefined
    }
    return assignDefined(suite, {
      timestamp: optionalAttr(data.timestamp, 'a timestamp'),
      hostname: optionalAttr(data.hostname, 'a hostname'),
      file: optionalAttr(data.file, 'a file'),
      systemOut: this.text(optional(data.systemOut, isString, 'system-out')),
      systemErr: this.text(optional(data.systemErr, isString, 'system-err')),
    })
  }
}
