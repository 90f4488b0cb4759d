import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { inputRecordOf, installInputRecorder } from '../../src/vitest/input-record.js'

// The shard's recorder: what a test file reads, lists and looks at through node:fs (also through ESM named imports
// taken before it was installed), what it cannot see into, and nothing of what the test wrote itself. It only records:
// every call returns what it did before.
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-record-')))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const self = (globalThis as { __vitest_worker__?: { filepath?: string } }).__vitest_worker__?.filepath ?? ''

test('records reads, listings, stats and what it cannot see; not what the test created; changes nothing', async () => {
  fs.writeFileSync(path.join(dir, 'input.txt'), 'in')
  fs.mkdirSync(path.join(dir, 'folder'))
  installInputRecorder()
  installInputRecorder()
  expect(fs.readFileSync(path.join(dir, 'input.txt'), 'utf8')).toBe('in')
  expect(await readFile(path.join(dir, 'input.txt'), 'utf8')).toBe('in')
  expect(fs.readdirSync(path.join(dir, 'folder'))).toEqual([])
  expect(fs.existsSync(path.join(dir, 'missing.snap'))).toBe(false)
  const created = fs.mkdtempSync(path.join(dir, 'own-'))
  fs.writeFileSync(path.join(created, 'out.txt'), 'x')
  expect(fs.readFileSync(path.join(created, 'out.txt'), 'utf8')).toBe('x')
  fs.writeFileSync(path.join(dir, 'written.txt'), 'w')
  expect(fs.readFileSync(path.join(dir, 'written.txt'), 'utf8')).toBe('w')
  expect(execFileSync(process.execPath, ['-e', 'process.stdout.write("ok")'], { encoding: 'utf8' })).toBe('ok')
  const record = inputRecordOf(self, true)!
  expect(record.reads).toContain(path.join(dir, 'input.txt'))
  expect(record.lists).toContain(path.join(dir, 'folder'))
  expect(record.stats).toContain(path.join(dir, 'missing.snap'))
  expect([...record.reads, ...record.stats].filter((file) => file.includes('own-') || file.endsWith('written.txt'))).toEqual([])
  expect(record.opaque).toEqual([expect.stringMatching(/^spawns a process at test\/unit\/input-record\.test\.ts:\d+$/)])
  // Errors pass through unchanged.
  expect(() => fs.readFileSync(path.join(dir, 'nope'))).toThrow(/ENOENT/)
})

test('a Worker and a native addon are noted with their place; with isolate: false a file gets all the worker did', () => {
  installInputRecorder()
  const addon = { exports: {} }
  expect(() => process.dlopen(addon, path.join(dir, 'missing.node'))).toThrow()
  const record = inputRecordOf(self, true)!
  expect(record.opaque).toContainEqual(
    expect.stringMatching(/^loads a native addon missing\.node at test\/unit\/input-record\.test\.ts:\d+$/),
  )
  expect(inputRecordOf('/some/other.test.ts', false)!.reads).toEqual(expect.arrayContaining(record.reads))
  expect(inputRecordOf('/some/other.test.ts', true)!.reads).toEqual([])
})
