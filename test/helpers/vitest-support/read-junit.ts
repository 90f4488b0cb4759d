// Reads a shard's junit.xml into plain data for assertions (the tests may use packages; the reporter may not).

import fs from 'node:fs'
import { XMLParser } from 'fast-xml-parser'

interface ParsedCase {
  suite: string
  name: string
  status: 'passed' | 'failed' | 'skipped'
  message?: string
  type?: string
  body?: string
  flaky: string[]
  systemOut?: string
}

export interface ParsedJUnit {
  suites: Array<{ name: string; properties: Record<string, string> }>
  cases: ParsedCase[]
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])

/** The report as plain data: suites with properties, and every testcase with its outcome. */
export function readJUnitFile(file: string): ParsedJUnit {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', textNodeName: 'text', processEntities: true })
  const doc = parser.parse(fs.readFileSync(file, 'utf8'))
  const suites = asArray<any>(doc.testsuites?.testsuite)
  return {
    suites: suites.map((s) => ({
      name: s.name,
      properties: Object.fromEntries(asArray<any>(s.properties?.property).map((p) => [p.name, p.value])),
    })),
    cases: suites.flatMap((s) =>
      asArray<any>(s.testcase).map((c): ParsedCase => {
        const problem = c.failure ?? c.skipped
        return {
          suite: s.name,
          name: String(c.name),
          status: c.failure ? 'failed' : c.skipped !== undefined ? 'skipped' : 'passed',
          message: problem?.message,
          type: problem?.type,
          body: typeof problem === 'string' ? problem : problem?.text,
          flaky: asArray<any>(c.flakyFailure).map((f) => f.message),
          systemOut: c['system-out'],
        }
      }),
    ),
  }
}
