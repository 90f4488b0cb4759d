import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { findFlaky } from '../../src/finish/flaky-tests.js'
import {
  addOutcome,
  appendHistory,
  emptyHistory,
  HISTORY_LIMITS,
  loadHistory,
  mergeHistory,
  type Outcome,
  parseHistory,
  serializeHistory,
} from '../../src/store/history.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})
const tempFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-history-'))
  dirs.push(dir)
  return path.join(dir, 'history.json')
}

const runOf = (entries: Array<[string, Outcome]>) => {
  const run = new Map<string, Outcome>()
  for (const [test, outcome] of entries) addOutcome(run, test, outcome)
  return run
}

describe('the flaky history stays bounded', () => {
  test('10,000 runs appended to the file (stable tests) keep it under its cap, each test with its last 20 outcomes', async () => {
    const file = tempFile()
    const tests = Array.from({ length: 40 }, (_, i) => `amp/fast/src/t${i}.test.ts > case ${i}`)
    let size = 0
    for (let run = 0; run < 10_000; run++) {
      await appendHistory(file, runOf(tests.map((test, i) => [test, (run + i) % 7 === 0 ? 'F' : 'P'])), {
        now: new Date(1_700_000_000_000 + run * 1000),
      })
      size = Math.max(size, fs.statSync(file).size)
    }
    expect(size).toBeLessThanOrEqual(HISTORY_LIMITS.maxBytes)
    const history = loadHistory(file)
    expect(history.runs).toBe(10_000)
    expect(Object.values(history.tests).every((entry) => entry.o.length === 20)).toBe(true)
  }, 120_000)

  test('10,000 runs of new, long, hostile test names keep the history under its byte and test caps', () => {
    const history = emptyHistory()
    let largest = 0
    for (let run = 0; run < 10_000; run++) {
      const names: Array<[string, Outcome]> = [
        [`amp/fast/a.test.ts > stable`, run % 3 === 0 ? 'F' : 'P'],
        [`amp/fast/b.test.ts > new ${run} ${'\u{1F600}'.repeat(400)}`, 'P'],
        [`amp/fast/c.test.ts > __proto__ ${run}`, 'R'],
      ]
      mergeHistory(history, runOf(names), new Date(1_700_000_000_000 + run * 1000))
      expect(Object.keys(history.tests).length).toBeLessThanOrEqual(HISTORY_LIMITS.maxTests)
      if (run % 1000 === 999) largest = Math.max(largest, Buffer.byteLength(serializeHistory(history)))
    }
    expect(largest).toBeLessThanOrEqual(HISTORY_LIMITS.maxBytes)
    const parsed = parseHistory(serializeHistory(history))
    const last20 = Array.from({ length: 20 }, (_, i) => ((9980 + i) % 3 === 0 ? 'F' : 'P')).join('')
    expect(parsed.ok && parsed.value.tests['amp/fast/a.test.ts > stable']?.o).toBe(last20)
  })

  test('flake rate: mixed passes and failures, or passes on retry; always failing or always passing is not flaky', () => {
    const history = emptyHistory()
    for (const outcomes of ['PFPPF', 'RRRRR', 'FFFFF', 'PPPPP', 'SSPSS', 'PSFSP']) {
      for (const o of outcomes) mergeHistory(history, runOf([[`t ${outcomes}`, o as Outcome]]), new Date())
    }
    expect(findFlaky(history).map((f) => [f.test, f.rate, f.recent])).toEqual([
      ['t RRRRR', 1, 'RRRRR'],
      ['t PFPPF', 0.4, 'PFPPF'],
      ['t PSFSP', 1 / 3, 'PSFSP'],
    ])
  })

  test('entries that are not history data are left out; a file that is not a history is a problem', () => {
    const parsed = parseHistory(
      JSON.stringify({
        version: 1,
        runs: -3,
        tests: { ok: { o: 'PF', t: 1 }, bad: { o: 'PX', t: 1 }, long: { o: 'P'.repeat(21), t: 1 }, n: null, t: { o: 'P', t: 'x' } },
      }),
    )
    expect(parsed.ok && parsed.value).toMatchObject({ runs: 0, tests: { ok: { o: 'PF', t: 1 } } })
    expect(parsed.ok && Object.keys(parsed.value.tests)).toEqual(['ok'])
    expect(parseHistory('[]')).toEqual({ ok: false, message: 'not a version 1 history file' })
  })
})
