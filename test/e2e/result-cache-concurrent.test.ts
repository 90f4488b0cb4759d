// Concurrent runs storing the same key: each entry is written whole to a temp file and renamed over its name, so a
// reader in another process sees the old entry or the new one, never a torn mix (which would be a miss and a warning).

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, expect, test } from 'vitest'
import { ResultStore } from '../../src/store/result-store.js'
import { repoRoot } from '../helpers/cli.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-cache-concurrent-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const address = { configRel: 'xtest.config.json', container: 'amp', tier: 'fast', file: 'a.test.js' }
const base = { image: 'i', versions: 'v', config: 'c', vitestConfig: 'vc', env: 'e', args: 'a', lockfile: 'l', inputs: 'in' }
const entryOf = (runId: string, cases: number) => ({
  version: 1,
  container: 'amp',
  tier: 'fast',
  file: 'a.test.js',
  runId,
  createdAt: '',
  modules: { 'a.test.js': 'h' },
  inputs: {},
  base,
  suite: {
    name: 'amp/fast/a.test.js',
    time: 0,
    properties: [],
    cases: Array.from({ length: cases }, (_, i) => ({
      classname: 'a',
      name: `case ${i} ${'x'.repeat(200)}`,
      time: 0,
      result: 'passed',
      properties: [],
    })),
  },
})

// A writer process: the built store (the CLI's own module), writing the same key over and over with entries of
// different sizes (a torn read would show as a truncated or mixed entry). A store keeps an entry of the same record
// it can read as its own; the two writers sign with different secrets, so each replaces the other's entry every time
// it finds one (a reader with no secret takes both).
const writer = (id: string, secret: string) =>
  execa(
    'node',
    [
      '--input-type=module',
      '-e',
      `import { ResultStore } from ${JSON.stringify(path.join(repoRoot, 'dist/store/result-store.js'))}
       const entryOf = ${entryOf.toString()}
       const base = ${JSON.stringify(base)}
       const store = new ResultStore(${JSON.stringify(dir)}, undefined, ${JSON.stringify(secret)})
       for (let i = 0; i < 150; i++) store.write(${JSON.stringify(address)}, entryOf('${id}-' + i, 50 + ((i * 37) % 400)))`,
    ],
    { reject: false },
  )

test('two processes writing the same key while a third reads: every read is a whole entry', async () => {
  new ResultStore(dir).write(address, entryOf('first', 10) as never)
  const writers = [writer('w1', 'first-writer-secret'), writer('w2', 'second-writer-secret')]
  let reads = 0
  let corrupt = 0
  const runIds = new Set<string>()
  const until = Date.now() + 4000
  while (Date.now() < until) {
    const store = new ResultStore(dir)
    const found = store.lookup(address, base as never)
    corrupt += store.corrupt
    for (const entry of found.entries) runIds.add(entry.runId.split('-')[0]!)
    reads++
  }
  const done = await Promise.all(writers)
  for (const each of done) expect(each.exitCode, each.stderr).toBe(0)
  expect(corrupt).toBe(0)
  expect(reads).toBeGreaterThan(10)
  // The reads saw the writers' entries, not only the first one.
  expect([...runIds].some((id) => id === 'w1' || id === 'w2')).toBe(true)
  expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
}, 60_000)
