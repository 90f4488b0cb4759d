import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { htmlTotals, junitTotals } from '../helpers/html-totals.js'

// `xtest merge … --html FILE`: the same page for reports made on several CI machines.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-merge-html-'))
const part = (name: string, file: string, startedAt: string, status: string, cases: string) => {
  const properties = [
    ['container', 'amp'],
    ['tier', 'fast'],
    ['shard', 'amp.fast'],
    ['status', status],
    ['started_at', startedAt],
    ['duration_ms', '4000'],
  ]
    .map(([n, v]) => `<property name="${n}" value="${v}"/>`)
    .join('')
  fs.writeFileSync(
    path.join(work, name),
    `<?xml version="1.0"?>\n<testsuites><testsuite name="amp/fast/${file}" file="${file}" tests="2"><properties>${properties}</properties>${cases}</testsuite></testsuites>`,
  )
  return path.join(work, name)
}

describe('xtest merge --html', () => {
  test("one page for every part: totals equal the merged JUnit, one timeline bar per part's shard", async () => {
    const a = part(
      'part1.xml',
      'a.test.ts',
      '2025-01-01T00:00:00.000Z',
      'passed',
      '<testcase classname="a" name="one" time="0.1"/><testcase classname="a" name="two" time="0.1"><skipped message="todo"/></testcase>',
    )
    const b = part(
      'part2.xml',
      'b.test.ts',
      '2025-01-01T00:00:01.000Z',
      'failed',
      '<testcase classname="b" name="three" time="0.1"><failure message="boom">Error: boom</failure></testcase><testcase classname="b" name="four" time="0.1"/>',
    )
    const out = path.join(work, 'merged.xml')
    const html = path.join(work, 'report.html')
    const { exitCode, stdout } = await runXtest(['merge', a, b, '-o', out, '--html', html], { cwd: work })
    expect(exitCode).toBe(1)
    expect(stdout).toMatch(/^amp +fast +- +passed, failed +2 +1 +1 +0 +8\.0s$/m)
    expect(htmlTotals(html)).toEqual(junitTotals(out))
    expect(junitTotals(out)).toEqual({ tests: 4, failures: 1, errors: 0, skipped: 1 })
    const page = fs.readFileSync(html, 'utf8')
    expect(page.match(/<g class="bar /g)).toHaveLength(2)
    expect(page).toContain('<title>xtest merge of 2 reports</title>')
  })

  test('--html without a file name is a usage error', async () => {
    const a = part('only.xml', 'a.test.ts', '2025-01-01T00:00:00.000Z', 'passed', '<testcase classname="a" name="one" time="0.1"/>')
    const { exitCode, stderr } = await runXtest(['merge', a, '-o', path.join(work, 'x.xml'), '--html'], { cwd: work })
    expect(exitCode).toBe(2)
    expect(stderr).toMatch(/^xtest: .*--html/m)
  })
})
