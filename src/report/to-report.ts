// Turns fast-xml-parser's ordered tree (`preserveOrder`) into plain typed data, reading only the names JUnit defines.

import { fail, ok, type Result } from '../core/result.js'
import { decodeEntities, sanitizeText } from '../core/xml-text.js'
import type { Fault, JUnitReport, ReportCase, ReportProperty, ReportSuite } from './types.js'
import { ATTR, ATTRS, childrenOf, groupChildren, own, TEXT, tagOf, type XmlNode } from './xml-tree.js'

// Optional fields stay absent rather than undefined (the data is compared and serialized as plain objects).
function assignDefined<T extends object>(target: T, values: Partial<T>): T {
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') Object.assign(target, { [key]: value })
  return target
}

class Converter {
  constructor(private readonly maxTextBytes: number) {}

  clean(raw: string): string {
    return sanitizeText(decodeEntities(raw), this.maxTextBytes)
  }

  attr(node: XmlNode, name: string): string | undefined {
    const attributes = own(node, ATTRS)
    const value = typeof attributes === 'object' && attributes !== null ? own(attributes as XmlNode, ATTR + name) : undefined
    return typeof value === 'string' ? this.clean(value) : undefined
  }

  // Text and CDATA children joined; reporters indent element text, so keep the content, not the indentation around it.
  text(node: XmlNode): string {
    let raw = ''
    for (const child of childrenOf(node)) {
      const value = own(child, TEXT)
      if (typeof value === 'string') raw += value
    }
    return raw === '' ? '' : this.clean(raw.replace(/^[ \t]*\r?\n/, '').trimEnd())
  }

  joinedText(nodes: readonly XmlNode[] | undefined): string | undefined {
    const text = (nodes ?? [])
      .map((node) => this.text(node))
      .filter((part) => part !== '')
      .join('\n')
    return text === '' ? undefined : text
  }

  properties(groups: Map<string, XmlNode[]>): ReportProperty[] {
    return (groups.get('properties') ?? [])
      .flatMap((group) => groupChildren(group).get('property') ?? [])
      .map((property) => ({ name: this.attr(property, 'name') ?? '', value: this.attr(property, 'value') ?? this.text(property) }))
  }

  fault(nodes: XmlNode[]): Fault | undefined {
    const [first, ...rest] = nodes
    if (first === undefined) return undefined
    const more = rest.map(
      (node) => `\n\n[xtest] another ${this.attr(node, 'type') ?? 'failure'}: ${this.attr(node, 'message') ?? ''}\n${this.text(node)}`,
    )
    return { message: this.attr(first, 'message') ?? '', type: this.attr(first, 'type') ?? '', body: this.text(first) + more.join('') }
  }

  testCase(node: XmlNode): ReportCase {
    const groups = groupChildren(node)
    const failures = [...(groups.get('failure') ?? []), ...(groups.get('rerunFailure') ?? [])]
    const errors = [...(groups.get('error') ?? []), ...(groups.get('rerunError') ?? [])]
    const skipped = groups.get('skipped')?.[0]
    const result = failures.length > 0 ? 'failed' : errors.length > 0 ? 'error' : skipped !== undefined ? 'skipped' : 'passed'
    const properties = this.properties(groups)
    const retried = properties.some(
      ({ name, value }) => (name === 'flaky' && value === 'true') || (name === 'retryCount' && Number(value) > 0),
    )
    const testCase: ReportCase = {
      classname: this.attr(node, 'classname') ?? '',
      name: this.attr(node, 'name') ?? '',
      time: parseSeconds(this.attr(node, 'time')) ?? 0,
      result,
      properties,
    }
    const flaky = result === 'passed' && (retried || groups.has('flakyFailure') || groups.has('flakyError'))
    return assignDefined(testCase, {
      fault: this.fault([...failures, ...errors]),
      skipMessage: skipped && this.attr(skipped, 'message'),
      systemOut: this.joinedText(groups.get('system-out')),
      systemErr: this.joinedText(groups.get('system-err')),
      flaky: flaky || undefined,
    })
  }

  // Nested suites are flattened: each keeps its own cases; a nameless one borrows its parent's name.
  suite(node: XmlNode, parentName: string | undefined, out: ReportSuite[]): void {
    const groups = groupChildren(node)
    const name = this.attr(node, 'name') || parentName || '(unnamed suite)'
    const nested = groups.get('testsuite') ?? []
    const cases = (groups.get('testcase') ?? []).map((testCase) => this.testCase(testCase))
    if (cases.length > 0 || nested.length === 0) {
      const suite: ReportSuite = {
        name,
        time: parseSeconds(this.attr(node, 'time')) ?? cases.reduce((sum, testCase) => sum + testCase.time, 0),
        properties: this.properties(groups),
        cases,
      }
      assignDefined(suite, {
        timestamp: this.attr(node, 'timestamp'),
        hostname: this.attr(node, 'hostname'),
        file: this.attr(node, 'file'),
        systemOut: this.joinedText(groups.get('system-out')),
        systemErr: this.joinedText(groups.get('system-err')),
      })
      out.push(suite)
    }
    for (const child of nested) this.suite(child, name, out)
  }
}

/** Seconds from a `time` attribute: tolerates digit grouping (`1,234.5`); anything else is undefined. */
function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const seconds = Number(value.replace(/,/g, ''))
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined
}

/** Converts the parser's top-level node list, whose one element must be `<testsuites>` or `<testsuite>`. */
export function convertJUnitTree(top: readonly XmlNode[], maxTextBytes: number): Result<JUnitReport> {
  const roots = top.filter((node) => {
    const tag = tagOf(node)
    return tag !== undefined && tag !== TEXT && !tag.startsWith('?')
  })
  const [root] = roots
  const rootName = root === undefined ? undefined : tagOf(root)
  if (roots.length !== 1 || root === undefined || (rootName !== 'testsuites' && rootName !== 'testsuite')) {
    const found = roots.length === 0 ? 'no root element' : `root element <${roots.map(tagOf).join('>, <')}>`
    return fail(`${found}, expected <testsuites> or <testsuite>`)
  }
  const converter = new Converter(maxTextBytes)
  const suites: ReportSuite[] = []
  if (rootName === 'testsuite') converter.suite(root, undefined, suites)
  else for (const suite of groupChildren(root).get('testsuite') ?? []) converter.suite(suite, undefined, suites)
  const name = converter.attr(root, 'name')
  return ok(name ? { name, suites } : { suites })
}
