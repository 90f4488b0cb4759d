import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'

// Parts of one matrix that ran on different builds (an image rebuilt between CI jobs, a Vitest major bumped
// mid-matrix) merged silently with exit 0. Now the report says so, with a failing case, unless --allow-mixed.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-merge-mixed-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

function part(name: string, file: string, imageId: string, vitest: string): string {
  const props = { container: 'amp', tier: 'fast', image: 'img:1', image_id: imageId, vitest_version: vitest, status: 'passed' }
  const properties = Object.entries(props)
    .map(([key, value]) => `<property name="${key}" value="${value}"/>`)
    .join('')
  const target = path.join(dir, name)
  fs.writeFileSync(
    target,
    `<testsuites><testsuite name="amp/fast/${file}" file="${file}" tests="1"><properties>${properties}</properties><testcase classname="${file}" name="t"/></testsuite></testsuites>`,
  )
  return target
}

test('parts from different images or Vitest majors: a note and a failing case, exit 1; --allow-mixed: the note, exit 0', async () => {
  const a = part('a.xml', 'a.test.ts', 'sha256:aaaa', '4.1.2')
  const b = part('b.xml', 'b.test.ts', 'sha256:bbbb', '5.0.1')
  const out = path.join(dir, 'merged.xml')
  const mixed = await runXtest(['merge', a, b, '-o', out], { cwd: dir })
  expect(mixed.exitCode, mixed.stdout + mixed.stderr).toBe(1)
  const output = mixed.stdout + mixed.stderr
  expect(output).toContain(`container amp: the parts ran on different images (sha256:aaaa in ${a}, sha256:bbbb in ${b})`)
  expect(output).toContain(`container amp: the parts ran on different Vitest majors (4 in ${a}, 5 in ${b})`)
  expect(fs.readFileSync(out, 'utf8')).toContain('type="xtest.mixed_parts"')

  const allowed = await runXtest(['merge', a, b, '-o', out, '--allow-mixed'], { cwd: dir })
  expect(allowed.exitCode, allowed.stdout + allowed.stderr).toBe(0)
  expect(allowed.stdout + allowed.stderr).toContain('container amp: the parts ran on different images')
  expect(fs.readFileSync(out, 'utf8')).not.toContain('xtest.mixed_parts')

  const same = await runXtest(['merge', a, part('c.xml', 'c.test.ts', 'sha256:aaaa', '4.2.0'), '-o', out], { cwd: dir })
  expect(same.exitCode, same.stdout + same.stderr).toBe(0)
  expect(same.stdout + same.stderr).not.toContain('different')
})

test('merge --html over a merged report larger than a readable input (64 MB): the page is made from memory, --summary is written', async () => {
  const body = 'x'.repeat(60_000)
  const files: string[] = []
  for (const n of [1, 2, 3]) {
    const cases = Array.from(
      { length: 400 },
      (_, i) => `<testcase classname="f${n}.test.ts" name="t${i}"><failure message="m" type="E">${body}</failure></testcase>`,
    ).join('')
    const file = path.join(dir, `big-${n}.xml`)
    fs.writeFileSync(file, `<testsuites><testsuite name="f${n}.test.ts" tests="400">${cases}</testsuite></testsuites>`)
    files.push(file)
  }
  const out = path.join(dir, 'big-merged.xml')
  const summary = path.join(dir, 'big-summary.md')
  const html = path.join(dir, 'big.html')
  const merged = await runXtest(['merge', ...files, '-o', out, '--html', html, '--summary', summary], { cwd: dir, timeout: 180_000 })
  expect(fs.statSync(out).size).toBeGreaterThan(64 * 1024 * 1024)
  expect(merged.stderr).not.toContain('internal error')
  expect(merged.stderr).not.toMatch(/^\s+at /m)
  expect(merged.exitCode, merged.stderr).toBe(1) // 1,200 failing tests
  expect(fs.readFileSync(summary, 'utf8')).toContain('1200')
  expect(fs.statSync(html).size).toBeGreaterThan(0)
}, 240_000)
