// Parts merged into one report should come from one build: the same image per container and one Vitest major.
// Parts of different builds (a Dockerfile changed between CI jobs, a lockfile bump mid-matrix) merge into a
// report no single run could produce, so the merge says so and fails unless `--allow-mixed`.

import { propertyOf } from './run-properties.js'
import type { JUnitReport, ReportSuite } from './types.js'

const short = (value: string): string => (value.length > 19 ? `${value.slice(0, 19)}…` : value)

/** One line per container whose parts ran on different images or Vitest majors; empty when they agree. */
export function findMixedParts(reports: ReadonlyArray<{ path: string; report: JUnitReport }>): string[] {
  const seen = new Map<string, Map<string, string>>() // `<container> <what>` → value → first file with it
  const note = (key: string, value: string | undefined, file: string) => {
    if (!value) return
    const values = seen.get(key) ?? new Map<string, string>()
    if (!values.has(value)) values.set(value, file)
    seen.set(key, values)
  }
  for (const { path, report } of reports) {
    for (const suite of report.suites) {
      const container = propertyOf(suite, 'container')
      if (!container) continue
      note(`${container} image`, propertyOf(suite, 'image_id'), path)
      note(`${container} Vitest major`, propertyOf(suite, 'vitest_version')?.split('.')[0], path)
    }
  }
  return [...seen]
    .filter(([, values]) => values.size > 1)
    .map(([key, values]) => {
      const [container, ...what] = key.split(' ')
      const list = [...values].map(([value, file]) => `${short(value)} in ${file}`).join(', ')
      return `container ${container}: the parts ran on different ${what.join(' ')}s (${list})`
    })
}

/** The failing case that makes a mixed merge exit 1 (without `--allow-mixed`), in the report where CI shows it. */
export function mixedPartsSuite(lines: readonly string[]): ReportSuite {
  const message = `parts from different builds: ${lines.join('; ')} (rerun them on one build, or merge with --allow-mixed)`
  return {
    name: 'xtest merge',
    time: 0,
    properties: [{ name: 'status', value: 'report-malformed' }],
    cases: [
      {
        classname: 'xtest merge',
        name: 'the parts come from one build',
        time: 0,
        result: 'error',
        fault: { message, type: 'xtest.mixed_parts', body: lines.join('\n') },
        properties: [],
      },
    ],
  }
}
