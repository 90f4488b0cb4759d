import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { beforeAll, describe, expect, test } from 'vitest'
import { fixture, junitXsd, repoRoot, runXtest } from '../helpers/cli.js'
import { htmlTotals, junitTotals } from '../helpers/html-totals.js'

const xmllint = (file: string) => execa('xmllint', ['--noout', '--nonet', '--schema', junitXsd, file], { reject: false })
const count = (xml: string, tag: string) => (xml.match(new RegExp(`<${tag}[\\s>/]`, 'g')) ?? []).length

describe('the merged report of a whole run', () => {
  const cwd = fixture('monorepo')
  // Other test files run this fixture too: this one keeps its merged report apart.
  const junit = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-run-')), 'junit.xml')
  let merged = ''

  beforeAll(async () => {
    const run = await runXtest(['run', '--all', '--runtime', 'local', '--junit', junit], { cwd })
    expect(run.exitCode, run.stderr).toBe(0)
    merged = fs.readFileSync(junit, 'utf8')
  })

  test('has as many testcases as Vitest counts for the same files run directly', async () => {
    // An explicit output file: Vitest 4 prints the JSON report, Vitest 5 writes it under .vitest/.
    const output = path.join(path.dirname(junit), 'direct.json')
    await execa('node', [path.join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', `--outputFile.json=${output}`], {
      cwd,
      reject: false,
      env: { NO_COLOR: '1' },
    })
    const numTotalTests = JSON.parse(fs.readFileSync(output, 'utf8')).numTotalTests as number
    expect(numTotalTests).toBeGreaterThan(5)
    expect(count(merged, 'testcase')).toBe(numTotalTests)
  })

  test('validates against the JUnit schema and names suites <container>/<tier>/<file>', async () => {
    expect((await xmllint(junit)).exitCode).toBe(0)
    const suites = [...merged.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])
    expect(suites).toContain('amp/slow/app/lib/stats.test.ts')
    expect(suites).toContain('opt/fast/app/legacy/solver-compat.test.ts')
    expect(suites.every((s) => /^(amp|opt)\/(fast|slow|superslow)\//.test(s!))).toBe(true)
  })

  test("report.html states the merged JUnit's totals exactly", () => {
    expect(htmlTotals(path.join(cwd, '.xtest', 'report.html'))).toEqual(junitTotals(junit))
  })
})

describe('xtest merge', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-merge-'))
  const write = (name: string, body: string) => {
    fs.writeFileSync(path.join(work, name), body)
    return path.join(work, name)
  }
  const suite = (name: string, cases: string) =>
    `<?xml version="1.0"?>\n<testsuites><testsuite name="${name}" tests="1">${cases}</testsuite></testsuites>`

  test('merges reports from several machines, each (suite, classname, name) once', async () => {
    const a = write('a.xml', suite('amp/fast/a.test.ts', '<testcase classname="a.test.ts" name="one" time="0.1"/>'))
    const b = write(
      'b.xml',
      suite(
        'opt/fast/b.test.ts',
        '<testcase classname="b.test.ts" name="two" time="0.1"><failure message="boom">Error: boom</failure></testcase>',
      ),
    )
    const again = write('a-again.xml', suite('amp/fast/a.test.ts', '<testcase classname="a.test.ts" name="one" time="0.1"/>'))
    const out = path.join(work, 'out.xml')
    const { exitCode } = await runXtest(['merge', a, b, again, '-o', out], { cwd: work })
    expect(exitCode).toBe(1)
    const xml = fs.readFileSync(out, 'utf8')
    expect(count(xml, 'testcase')).toBe(2)
    expect(xml).toMatch(/<testsuites[^>]* tests="2" failures="1"/)
    expect((await xmllint(out)).exitCode).toBe(0)
  })

  test('a stale pass merged before a real failure does not hide it: exit 1, and the note says which copy was kept', async () => {
    const stale = write('stale.xml', suite('amp/fast/a.test.ts', '<testcase classname="a.test.ts" name="adds" time="0.1"/>'))
    const fresh = write(
      'fresh.xml',
      suite(
        'amp/fast/a.test.ts',
        '<testcase classname="a.test.ts" name="adds" time="0.1"><failure message="expected 1 to be 2">AssertionError</failure></testcase>',
      ),
    )
    const out = path.join(work, 'worst.xml')
    const { exitCode, stdout } = await runXtest(['merge', stale, fresh, '-o', out], { cwd: work })
    expect(stdout).toContain('xtest: FAILED: 1 failed, 0 errors, 0 passed, 0 skipped of 1 test\n')
    expect(stdout).toContain(
      `${fresh}: 1 testcase(s) already merged from an earlier file (same suite, classname and name): kept this file's copy of 1, a worse result: "adds" in amp/fast/a.test.ts (failure here over a pass from ${stale})`,
    )
    expect(exitCode).toBe(1)
    expect(fs.readFileSync(out, 'utf8')).toMatch(/<testsuites[^>]* tests="1" failures="1"/)
  })

  test('a file that is not JUnit is exit 2, naming it', async () => {
    const bad = write('notes.xml', '<html><body>not a report</body></html>')
    const good = write('ok.xml', suite('s', '<testcase classname="c" name="n"/>'))
    const { exitCode, stderr } = await runXtest(['merge', good, bad, '-o', path.join(work, 'x.xml')], { cwd: work })
    expect(exitCode).toBe(2)
    expect(stderr.split('\n')[0]).toContain(bad)
  })

  test('missing -o is a usage error', async () => {
    const { exitCode, stderr } = await runXtest(['merge', 'a.xml'], { cwd: work })
    expect([exitCode, stderr.trim()]).toEqual([2, 'xtest: xtest merge needs -o OUT (the merged file)'])
  })
})

describe('summaries for CI', () => {
  test('under GitHub Actions: step summary Markdown and ::error annotations with file and line', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-gh-'))
    const stepSummary = path.join(work, 'summary.md')
    const { exitCode, stdout } = await runXtest(['run', '--junit', path.join(work, 'junit.xml')], {
      cwd: fixture('local-failures'),
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: stepSummary, GITHUB_WORKSPACE: repoRoot },
    })
    expect(exitCode).toBe(1)
    expect(stdout).toMatch(/^::error file=fixtures\/local-failures\/src\/math\.test\.ts,line=8,title=[^:]*::/m)
    const markdown = fs.readFileSync(stepSummary, 'utf8')
    expect(markdown).toMatch(/\| host \| fast \|/)
    expect(markdown).toContain('subtracts')
  })
})
