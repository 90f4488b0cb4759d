// `xtest merge --coverage` through the real CLI: the parts' raw coverage merges into coverage/ beside -o with the
// parts' reporters, its thresholds fail the merge (exit 1) on the merged figures, a part that is not xtest's raw
// coverage is one warning, and a refused coverage folder is exit 3 after the JUnit was written.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { repoRoot, runXtest } from '../helpers/cli.js'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-merge-coverage-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const loc = (line: number) => ({ start: { line, column: 0 }, end: { line, column: 9 } })
function lines(n: number, hit: (i: number) => boolean) {
  const ids = [...Array(n).keys()]
  return {
    path: 'x',
    statementMap: Object.fromEntries(ids.map((i) => [i, loc(i + 1)])),
    fnMap: {},
    branchMap: {},
    s: Object.fromEntries(ids.map((i) => [i, hit(i) ? 1 : 0])),
    f: {},
    b: {},
  }
}

function project(name: string, thresholds: object): string {
  const dir = path.join(tmp, name)
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'src/a.ts'), 'x\n'.repeat(4))
  fs.copyFileSync(path.join(repoRoot, 'test/fixtures-junit/single-suite-root.xml'), path.join(dir, 'part-1.xml'))
  const options = { reporter: ['text-summary', 'json-summary'], thresholds }
  // Part 1 covered lines 1-2 of src/a.ts, part 2 line 3: merged 3 of 4.
  const parts = [(i: number) => i < 2, (i: number) => i === 2]
  parts.forEach((hit, index) => {
    fs.mkdirSync(path.join(dir, `coverage-${index + 1}`))
    const raw = {
      format: 'xtest-coverage',
      version: 1,
      options,
      shards: [{ container: 'app', tier: 'fast', coverage: { 'src/a.ts': lines(4, hit) } }],
    }
    fs.writeFileSync(path.join(dir, `coverage-${index + 1}/xtest-coverage.json`), JSON.stringify(raw))
  })
  fs.mkdirSync(path.join(dir, 'coverage-3'))
  fs.writeFileSync(path.join(dir, 'coverage-3/xtest-coverage.json'), '{"junk": true}')
  return dir
}

test('the parts merge into coverage/ beside -o; the threshold is checked on the merged 75 %, not on a part', async () => {
  const cwd = project('met', { lines: 70 })
  const merged = await runXtest(['merge', 'part-1.xml', '-o', 'out/junit.xml', '--coverage', '--summary', 'summary.md'], { cwd })
  expect(merged.exitCode, merged.stdout + merged.stderr).toBe(0)
  expect(merged.stdout).toContain('Lines        : 75% ( 3/4 )')
  expect(merged.stderr).toContain('coverage-3/xtest-coverage.json is not a raw xtest coverage file')
  const summary = JSON.parse(fs.readFileSync(path.join(cwd, 'out/coverage/coverage-summary.json'), 'utf8'))
  expect(summary.total.lines).toMatchObject({ total: 4, covered: 3 })
  expect(Object.keys(summary)).toContain(path.join(fs.realpathSync(cwd), 'src/a.ts'))
  expect(fs.readFileSync(path.join(cwd, 'summary.md'), 'utf8')).toContain('| container app | 75% (3/4) |')

  const missed = await runXtest(['merge', 'part-1.xml', '-o', 'out/junit.xml', '--coverage', 'coverage-[12]/*.json'], {
    cwd: project('missed', { lines: 80 }),
  })
  expect(missed.exitCode, missed.stdout + missed.stderr).toBe(1)
  expect(missed.stdout).toContain('ERROR: Coverage for lines (75%) does not meet global threshold (80%)')
})

test('a coverage folder the disk refuses: one line and exit 3, the merged JUnit is written', async () => {
  const cwd = project('refused', {})
  fs.mkdirSync(path.join(cwd, 'out'))
  fs.writeFileSync(path.join(cwd, 'out/coverage'), 'a file where the folder goes\n')
  const merged = await runXtest(['merge', 'part-1.xml', '-o', 'out/junit.xml', '--coverage', 'coverage-[12]/*.json'], { cwd })
  expect(merged.exitCode, merged.stdout + merged.stderr).toBe(3)
  expect(merged.stderr).toMatch(/^xtest: cannot write \S*out\/coverage: /m)
  expect(fs.existsSync(path.join(cwd, 'out/junit.xml'))).toBe(true)
})
