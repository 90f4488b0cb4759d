import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { addToGitignore, ignoresXtest, starterImage } from '../../src/cli/commands/init.js'
import { pruneRuns } from '../../src/store/prune-runs.js'
import { createRunFolder } from '../../src/store/run-folder.js'

// `.xtest/runs` is pruned after each run; `.xtest/` is git-ignored.
const temp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-prune-'))
const runId = (i: number) => `20260101-${String(100000 + i)}-abcd`
const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
afterAll(() => {
  sleeper.kill()
})

// Each run folder has the owner.json xtest writes: a process of this host that has ended, unless `owners` says.
const ended = { pid: 2 ** 22 + 12345, host: os.hostname(), startedAt: '2026-01-01T10:00:00.000Z' }
function runsFolder(count: number, owners: Record<number, object> = {}): string {
  const out = temp()
  for (let i = 0; i < count; i++) {
    const dir = path.join(out, 'runs', runId(i))
    fs.mkdirSync(path.join(dir, 'amp.fast'), { recursive: true })
    fs.writeFileSync(path.join(dir, 'junit.xml'), '<testsuites/>')
    fs.writeFileSync(path.join(dir, 'owner.json'), JSON.stringify(owners[i] ?? ended))
  }
  return out
}
const left = (out: string) => fs.readdirSync(path.join(out, 'runs')).sort()

describe('pruneRuns', () => {
  test('keeps the newest N run folders and removes the rest', () => {
    const out = runsFolder(15)
    const result = pruneRuns({ outputDir: out, keep: 10 })
    expect(result.removed).toEqual([4, 3, 2, 1, 0].map(runId))
    expect(left(out)).toEqual(Array.from({ length: 10 }, (_, i) => runId(i + 5)))
  })

  test('runs started within one second: the one started last is the newest, whatever its random suffix', () => {
    const out = temp()
    const owner = (ms: number) => ({ pid: 2 ** 22 + 12345, host: os.hostname(), startedAt: `2026-01-01T10:00:00.${ms}Z` })
    // Started in this order: f000 (100 ms), 0aaa (400 ms), 9bbb (700 ms); by name 0aaa < 9bbb < f000.
    for (const [id, ms] of [
      ['f000', 100],
      ['0aaa', 400],
      ['9bbb', 700],
    ] as const) {
      const dir = path.join(out, 'runs', `20260101-100000-${id}`)
      fs.mkdirSync(dir, { recursive: true })
      fs.writeFileSync(path.join(dir, 'owner.json'), JSON.stringify(owner(ms)))
    }
    expect(pruneRuns({ outputDir: out, keep: 2, isAlive: () => false }).removed).toEqual(['20260101-100000-f000'])
  })

  test('never removes the current run, a run whose owner is alive, or what is not a run folder; never follows a link', () => {
    const host = os.hostname()
    const out = runsFolder(6, {
      0: { pid: sleeper.pid, host, startedAt: new Date().toISOString() },
      1: { pid: 2 ** 22 + 12345, host, startedAt: new Date().toISOString() },
      2: { pid: 1, host: 'another-host', startedAt: new Date().toISOString() },
      3: { pid: 1, host: 'another-host', startedAt: '2020-01-01T00:00:00.000Z' },
    })
    fs.mkdirSync(path.join(out, 'runs', 'keep-me'))
    const outside = temp()
    fs.writeFileSync(path.join(outside, 'precious.txt'), 'x')
    fs.symlinkSync(outside, path.join(out, 'runs', '20250101-000000-abcd'))
    const result = pruneRuns({ outputDir: out, keep: 1, currentRunId: runId(4) })
    expect(result.busy.sort()).toEqual([runId(0), runId(2)])
    expect(result.removed.sort()).toEqual([runId(1), runId(3)])
    expect(left(out)).toEqual(['20250101-000000-abcd', runId(0), runId(2), runId(4), runId(5), 'keep-me'].sort())
    expect(fs.readFileSync(path.join(outside, 'precious.txt'), 'utf8')).toBe('x')
  })

  test('a folder named like a run but without the owner.json xtest writes is not removed; nor is anything behind a linked runs folder', () => {
    const out = runsFolder(3)
    fs.rmSync(path.join(out, 'runs', runId(0), 'owner.json'))
    expect(pruneRuns({ outputDir: out, keep: 1, isAlive: () => false }).removed).toEqual([runId(1)])
    expect(left(out)).toEqual([runId(0), runId(2)])
    // `runs` a link to a folder of run-like folders elsewhere: pruning does not delete at the link's target.
    const victim = runsFolder(3)
    const linked = temp()
    fs.symlinkSync(path.join(victim, 'runs'), path.join(linked, 'runs'))
    expect(pruneRuns({ outputDir: linked, keep: 1, isAlive: () => false }).removed).toEqual([])
    expect(left(victim)).toHaveLength(3)
    // And the output folder itself a link.
    const outLink = path.join(temp(), 'out')
    fs.symlinkSync(victim, outLink)
    expect(pruneRuns({ outputDir: outLink, keep: 1, isAlive: () => false }).removed).toEqual([])
    expect(left(victim)).toHaveLength(3)
  })

  test('keepRuns: false keeps everything; a missing runs folder is fine', () => {
    const out = runsFolder(3)
    expect(pruneRuns({ outputDir: out, keep: false }).removed).toEqual([])
    expect(left(out)).toHaveLength(3)
    expect(pruneRuns({ outputDir: temp(), keep: 1 })).toEqual({ removed: [], busy: [], failed: [] })
  })
})

describe('git-ignoring .xtest/', () => {
  test('a run that creates the output folder writes .gitignore `*` in it (and records its owner); an existing folder is left alone', () => {
    const root = temp()
    const folder = createRunFolder(path.join(root, '.xtest'))
    expect(fs.readFileSync(path.join(root, '.xtest', '.gitignore'), 'utf8')).toMatch(/^\*$/m)
    expect(JSON.parse(fs.readFileSync(path.join(folder.dir, 'owner.json'), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: os.hostname(),
    })
    const existing = path.join(root, 'mine')
    fs.mkdirSync(existing)
    createRunFolder(existing)
    expect(fs.existsSync(path.join(existing, '.gitignore'))).toBe(false)
  })

  test('init adds .xtest/ to .gitignore once, after the last line', () => {
    const dir = temp()
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules')
    expect(addToGitignore(dir)).toEqual(['.xtest/'])
    expect(addToGitignore(dir)).toEqual([])
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(
      'node_modules\n# xtest run folders, merged reports and timings\n.xtest/\n',
    )
    expect(['.xtest', '/.xtest/', '.xtest/**', '  .xtest/  '].every(ignoresXtest)).toBe(true)
    expect(['.xtest/runs', '#.xtest/', '!.xtest/', 'x.xtest/'].some(ignoresXtest)).toBe(false)
  })

  test('init under Vitest 5 also ignores .vitest/ (its reporters write there), once; under Vitest 4 it does not', () => {
    const five = temp()
    expect(addToGitignore(five, 5)).toEqual(['.xtest/', '.vitest/'])
    expect(addToGitignore(five, 5)).toEqual([])
    expect(fs.readFileSync(path.join(five, '.gitignore'), 'utf8')).toBe(
      "# xtest run folders, merged reports and timings\n.xtest/\n# Vitest 5's reporter files\n.vitest/\n",
    )
    const four = temp()
    expect(addToGitignore(four, 4)).toEqual(['.xtest/'])
    const ignoring = temp()
    fs.writeFileSync(path.join(ignoring, '.gitignore'), '/.vitest\n.xtest/**\n')
    expect(addToGitignore(ignoring, 5)).toEqual([])
  })

  test("init's image: the local Node's major when the installed Vitest runs on it, else the oldest long-term major it runs on", () => {
    const vitest4 = '^20.19.0 || ^22.12.0 || >=24.0.0'
    const vitest5 = '^22.12.0 || ^24.0.0 || >=26.0.0'
    expect(starterImage('v20.20.2', vitest4)).toBe('node:20')
    expect(starterImage('v24.22.3', vitest4)).toBe('node:24')
    expect(starterImage('v24.22.3', vitest5)).toBe('node:24')
    expect(starterImage('v20.20.2', vitest5)).toBe('node:22')
    expect(starterImage('v23.1.0', vitest5)).toBe('node:22')
    expect(starterImage('v22.3.0', undefined)).toBe('node:22')
  })
})
