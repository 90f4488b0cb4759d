import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { repoRoot, runXtest } from '../helpers/cli.js'
import { htmlTotals, junitTotals } from '../helpers/html-totals.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

// The library's merge() is `xtest merge` (built dist/index.js against the real CLI): the same merged JUnit byte for
// byte, an HTML report with the same totals, the same exit code; and the CLI's options (`plan`) work as its flags do.
const api = () => import(pathToFileURL(path.join(repoRoot, 'dist/index.js')).href) as Promise<typeof import('../../src/index.js')>
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-merge-library-'))
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))
const copyFixture = useTempFixtures()

const part = (name: string, file: string, cases: string) => {
  const target = path.join(work, name)
  const properties = '<properties><property name="container" value="amp"/><property name="tier" value="fast"/></properties>'
  fs.writeFileSync(
    target,
    `<?xml version="1.0"?>\n<testsuites><testsuite name="amp/fast/${file}" file="${file}" tests="2" timestamp="2025-01-01T00:00:00">${properties}${cases}</testsuite></testsuites>`,
  )
  return target
}
const pass = (name: string) => `<testcase classname="${name}" name="${name}" time="0.1"/>`
const fail = (name: string) =>
  `<testcase classname="${name}" name="${name}" time="0.1"><failure message="boom">Error: boom</failure></testcase>`
// Whatever the merge stamps with the time of day (none today) may differ between the two merges.
const junitOf = (file: string) => fs.readFileSync(file, 'utf8').replace(/ timestamp="[^"]*"/g, '')

describe('merge() from code does what xtest merge does', () => {
  test.each([
    ['passing', [part('p1.xml', 'a.test.ts', pass('one') + pass('two')), part('p2.xml', 'b.test.ts', pass('three') + pass('four'))], 0],
    ['failing', [part('f1.xml', 'a.test.ts', pass('one') + fail('two')), part('f2.xml', 'b.test.ts', pass('three') + pass('four'))], 1],
  ] as const)('%s parts: the same merged JUnit, an HTML report with its totals, the same exit code', async (name, files, code) => {
    const { merge } = await api()
    const at = (file: string) => path.join(work, `${name}-${file}`)
    const [cliOut, cliHtml, libOut, libHtml] = [at('cli.xml'), at('cli.html'), at('lib.xml'), at('lib.html')] as const
    const cli = await runXtest(['merge', ...files, '-o', cliOut, '--html', cliHtml], { cwd: work })
    const notices: string[] = []
    const lib = await merge([...files], { output: libOut, html: libHtml, onNotice: (line) => notices.push(line) })
    expect([cli.exitCode, lib.exitCode], cli.stderr).toEqual([code, code])
    expect(junitOf(libOut)).toBe(junitOf(cliOut))
    expect(htmlTotals(libHtml)).toEqual(junitTotals(libOut))
    expect(htmlTotals(cliHtml)).toEqual(junitTotals(cliOut))
    expect(fs.readFileSync(libHtml, 'utf8')).toContain('<title>xtest merge of 2 reports</title>')
    expect(lib.summary.totals.failed).toBe(code)
    expect(notices).toEqual([])
  })

  test("merge([], { plan: 'plan.json', output }) checks the parts against the plan as xtest merge --plan does", async () => {
    const cwd = copyFixture('local-faults')
    const saved = await runXtest(['plan', '--container', 'ok', '--save', 'plan.json'], { cwd })
    expect(saved.exitCode, saved.stderr).toBe(0)
    const cli = await runXtest(['merge', '--plan', 'plan.json', '-o', 'cli.xml'], { cwd })
    const { merge } = await api()
    const config = path.join(cwd, 'xtest.config.json')
    const lib = await merge([], { plan: path.join(cwd, 'plan.json'), output: path.join(cwd, 'lib.xml'), config })
    // No part reported the planned file: a synthetic error names it, in both.
    expect([cli.exitCode, lib.exitCode], cli.stderr).toEqual([1, 1])
    expect(junitOf(path.join(cwd, 'lib.xml'))).toBe(junitOf(path.join(cwd, 'cli.xml')))
    expect(junitOf(path.join(cwd, 'lib.xml'))).toContain('ok.test.ts')
  })

  test("the CLI's other options: summary, timings and allowMixed; a bad value is refused as the flag is", async () => {
    const { merge, XtestError } = await api()
    const files = [part('t1.xml', 'a.test.ts', pass('one') + pass('two'))]
    const summary = path.join(work, 'summary.md')
    const timings = path.join(work, 'timings.json')
    const done = await merge(files, { output: path.join(work, 't.xml'), summary, timings, allowMixed: true, env: {} })
    expect(done.exitCode).toBe(0)
    expect(fs.readFileSync(summary, 'utf8')).toContain('amp')
    expect(Object.keys(JSON.parse(fs.readFileSync(timings, 'utf8')).entries)).toEqual(['amp/fast/a.test.ts'])
    const refused = await merge(files, { output: path.join(work, 't.xml'), timings: 'a.xml' }).catch((error: unknown) => error)
    expect(refused instanceof XtestError && refused.exitCode).toBe(2)
    expect(String(refused)).toMatch(/--timings writes a JSON file/)
    for (const [bad, message] of [
      [{ html: 5 }, /--html needs a file name/],
      [{ plan: 5 }, /--plan expects a file path/],
      [{ env: 'CI=1' }, /env expects an object of variables/],
      [{ htm: 'x.html' }, /merge\(\): unknown option 'htm'/],
    ] as const) {
      const error = await merge(files, { output: path.join(work, 't.xml'), ...(bad as object) }).catch((caught: unknown) => caught)
      expect(error instanceof XtestError && error.exitCode, String(error)).toBe(2)
      expect(String(error)).toMatch(message)
    }
  })
})
