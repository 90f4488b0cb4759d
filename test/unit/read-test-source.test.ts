// The planner reads each test file once for its tags: a file replaced since it was listed (a FIFO, a link to a
// device) must never block it or be read without end, and a long file is read whole.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { readTestSource } from '../../src/plan/io/plan-project.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-read-source-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const at = (name: string) => path.join(dir, name)

test('a short file, an empty one, and long ones whose multi-byte characters straddle the first read', () => {
  // (Spelled in two pieces: Vitest reads this file's own source for module tags.)
  const source = `/** @module${'-'}tag slow */\ntest('é', () => {})\n`
  fs.writeFileSync(at('short.test.ts'), source)
  expect(readTestSource(at('short.test.ts'))).toBe(source)
  fs.writeFileSync(at('empty.test.ts'), '')
  expect(readTestSource(at('empty.test.ts'))).toBe('')
  for (const size of [64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 300_000]) {
    const text = `${'x'.repeat(size - 2)}😀`.slice(0, size)
    fs.writeFileSync(at('long.test.ts'), text)
    expect(readTestSource(at('long.test.ts')), `${size}`).toBe(text)
  }
})

test('a FIFO, a link to a device that never ends, a folder and nothing at all read as empty, at once', () => {
  execFileSync('mkfifo', [at('fifo.test.ts')])
  fs.symlinkSync('/dev/zero', at('zero.test.ts'))
  fs.mkdirSync(at('folder.test.ts'))
  const started = Date.now()
  for (const name of ['fifo.test.ts', 'zero.test.ts', 'folder.test.ts', 'missing.test.ts']) expect(readTestSource(at(name)), name).toBe('')
  expect(Date.now() - started).toBeLessThan(5000)
})
