import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { execa } from 'execa'
import { afterAll, describe, expect, test } from 'vitest'
import { appendHistory, loadHistory } from '../../src/store/history.js'
import { loadTimings, recordTimings } from '../../src/store/timings.js'
import { repoRoot } from '../helpers/cli.js'

// What xtest keeps under .xtest/ lies in a folder test code may write (the local runtime runs tests on the host): a
// FIFO, a link or a huge file planted there is passed over with a warning by every store, never followed or waited on.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-store-files-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const built = (module: string) => pathToFileURL(path.join(repoRoot, 'dist/store', module)).href

// A FIFO nobody writes blocks a plain read forever, so each case runs in a child with a deadline (the built modules).
async function inChild(script: string): Promise<string[]> {
  const child = await execa('node', ['--input-type=module', '-e', script], { cwd: repoRoot, timeout: 20_000, reject: false })
  expect(child.timedOut, 'the store waited on a FIFO').toBe(false)
  expect(child.exitCode, child.stderr).toBe(0)
  return JSON.parse(child.stdout) as string[]
}

describe('the store reads only regular files of a sane size', () => {
  test('a FIFO at timings.json, history.json or a --shard part file: a warning each, no hang', async () => {
    const folder = path.join(dir, 'fifo')
    fs.mkdirSync(folder)
    const parts = path.join(dir, 'parts', 'timings.parts', '0123456789abcdef-2')
    fs.mkdirSync(parts, { recursive: true })
    for (const file of [path.join(folder, 'timings.json'), path.join(folder, 'history.json'), path.join(parts, 'part-1.json')])
      await execa('mkfifo', [file])
    const timingsFile = path.join(folder, 'timings.json')
    const warnings = await inChild(`
      const { loadTimings } = await import(${JSON.stringify(built('timings.js'))})
      const { loadHistory } = await import(${JSON.stringify(built('history.js'))})
      const { recordPartTimings } = await import(${JSON.stringify(built('part-timings.js'))})
      const warnings = []
      const warn = (line) => warnings.push(line)
      if (Object.keys(loadTimings(${JSON.stringify(timingsFile)}, warn).entries).length !== 0) throw new Error('timings read')
      if (Object.keys(loadHistory(${JSON.stringify(path.join(folder, 'history.json'))}, warn).tests).length !== 0) throw new Error('history read')
      const part = { planHash: 'sha256:0123456789abcdef', index: 2, count: 2 }
      await recordPartTimings(${JSON.stringify(path.join(dir, 'parts', 'timings.json'))}, [{ container: 'a', tier: 'fast', file: 'x.test.ts', ms: 5 }], part, warn)
      console.log(JSON.stringify(warnings))`)
    expect(warnings.join('\n')).toMatch(/cannot read .*timings\.json \(timings\.json is not a regular file\); balancing without timings/)
    expect(warnings.join('\n')).toMatch(/cannot read .*history\.json \(history\.json is not a regular file\); starting a fresh history/)
    expect(warnings.join('\n')).toMatch(/part-1\.json: unreadable \(part-1\.json is not a regular file\); its samples are left out/)
  })

  test('--plan naming a FIFO (a run folder is test-writable): exit 2 in one line, no hang', async () => {
    const fifo = path.join(dir, 'plan.json')
    await execa('mkfifo', [fifo])
    const planFile = pathToFileURL(path.join(repoRoot, 'dist/plan/io/plan-file.js')).href
    const [message] = await inChild(`
      const { readPlanFile } = await import(${JSON.stringify(planFile)})
      try { readPlanFile(${JSON.stringify(fifo)}, { containers: {} }) } catch (error) { console.log(JSON.stringify([error.message])) }`)
    expect(message).toBe(`--plan ${fifo}: cannot read it (plan.json is not a regular file)`)
  })

  test('history.json linked elsewhere is neither read nor written through; the link is replaced by a file', async () => {
    const folder = path.join(dir, 'link')
    fs.mkdirSync(folder)
    const elsewhere = path.join(dir, 'elsewhere.json')
    const text = `${JSON.stringify({ version: 1, updatedAt: '', runs: 9, tests: { secret: { o: 'P', t: 1 } } })}\n`
    fs.writeFileSync(elsewhere, text)
    const file = path.join(folder, 'history.json')
    fs.symlinkSync(elsewhere, file)
    const warnings: string[] = []
    expect(loadHistory(file, (line) => warnings.push(line)).tests).toEqual({})
    expect(warnings).toEqual([`cannot read ${file} (history.json is a symbolic link); starting a fresh history`])
    const history = await appendHistory(file, new Map([['t', 'P' as const]]))
    expect(Object.keys(history.tests)).toEqual(['t'])
    expect(fs.lstatSync(file).isFile()).toBe(true)
    expect(fs.readFileSync(elsewhere, 'utf8')).toBe(text)
  })

  test('timings.json over the size cap is passed over; a --timings FILE the user linked is read and written where it points', async () => {
    const big = path.join(dir, 'big.json')
    fs.writeFileSync(big, '')
    fs.truncateSync(big, 64 * 1024 * 1024 + 1)
    const warnings: string[] = []
    expect(loadTimings(big, (line) => warnings.push(line)).entries).toEqual({})
    expect(warnings[0]).toMatch(/big\.json is 67108865 bytes, over the 67108864-byte limit\); balancing without timings$/)

    const target = path.join(dir, 'mine.json')
    const link = path.join(dir, 'my-timings.json')
    await recordTimings(target, [{ container: 'a', tier: 'fast', file: 'x.test.ts', ms: 5 }])
    fs.symlinkSync(target, link)
    // Made before the child (a later xtest) started: a link of the user's, as write-output.ts trusts one.
    const entries = await inChild(`
      const { loadTimings, recordTimings } = await import(${JSON.stringify(built('timings.js'))})
      await recordTimings(${JSON.stringify(link)}, [{ container: 'a', tier: 'fast', file: 'y.test.ts', ms: 5 }])
      console.log(JSON.stringify(Object.keys(loadTimings(${JSON.stringify(link)}).entries).sort()))`)
    expect(entries).toEqual(['a/fast/x.test.ts', 'a/fast/y.test.ts'])
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true)
    expect(Object.keys(loadTimings(target).entries).sort()).toEqual(['a/fast/x.test.ts', 'a/fast/y.test.ts'])
  })
})
