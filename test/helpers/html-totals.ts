import fs from 'node:fs'

export interface Totals {
  tests: number
  failures: number
  errors: number
  skipped: number
}

const attr = (tag: string, name: string) => Number(tag.match(new RegExp(`\\s${name}="(\\d+)"`))?.[1] ?? NaN)

/** The root totals of a merged JUnit file (skipped summed over its suites: the schema has no root attribute for it). */
export function junitTotals(file: string): Totals {
  const xml = fs.readFileSync(file, 'utf8')
  const root = xml.match(/<testsuites\b[^>]*>/)?.[0] ?? ''
  const skipped = [...xml.matchAll(/<testsuite\b[^>]*>/g)].reduce((sum, [tag]) => sum + attr(tag, 'skipped'), 0)
  return { tests: attr(root, 'tests'), failures: attr(root, 'failures'), errors: attr(root, 'errors'), skipped }
}

/**
 * The totals the HTML report's header states (static markup, readable without a browser), as the JUnit file counts
 * them: the page counts xtest's own error cases apart (`shard errors`), the file among its tests and errors.
 */
export function htmlTotals(file: string): Totals {
  const html = fs.readFileSync(file, 'utf8')
  const stat = (id: string) => Number(html.match(new RegExp(`id="total-${id}"><span class="value">(\\d+)<`))?.[1] ?? NaN)
  const shardErrors = html.includes('id="total-shard-errors"') ? stat('shard-errors') : 0
  return { tests: stat('tests') + shardErrors, failures: stat('failed'), errors: stat('errors') + shardErrors, skipped: stat('skipped') }
}
