import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { PROGRESS_LIMITS } from '../../src/core/progress.js'
import { exitCodeFor, mergeRun, readJUnit } from '../../src/report/index.js'
import { parseProgress, readProgress } from '../../src/report/progress-read.js'
import { outcomeOf, schemaErrors, tempDir } from '../fixtures-junit/helpers.js'

// A shard that dies after some files finished keeps their results (from progress.ndjson).
const FILES = Array.from({ length: 7 }, (_, i) => `src/f${i + 1}.test.ts`)
const line = (event: object) => `${JSON.stringify({ time: '2026-01-01T00:00:00.000Z', ...event })}\n`
const finishedFile = (file: string, states: string[] = ['passed', 'passed']) =>
  line({ event: 'collected', file, tests: states.length }) +
  states.map((state, i) => line({ event: 'test', file, name: `t${i + 1}`, state })).join('') +
  line({ event: 'done', file, state: states.includes('failed') ? 'failed' : 'passed' })
const LIMITS = { ...PROGRESS_LIMITS, maxLines: 1000 }

function crashedShard(progress: string | null): { run: string; outcome: ReturnType<typeof outcomeOf> } {
  const run = tempDir()
  const dir = join(run, 'amp.fast')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'output.log'), 'vitest started\n')
  if (progress !== null) writeFileSync(join(dir, 'progress.ndjson'), progress)
  const outcome = outcomeOf({ junitPath: join(dir, 'junit.xml'), files: FILES, exitCode: 137, signal: 'SIGKILL' })
  return { run, outcome }
}

describe('a crashed shard keeps what progress.ndjson shows finished', () => {
  test('5 finished files keep their tests, the running one keeps its finished test, the rest are crash cases; still exit 1', async () => {
    const progress =
      line({ event: 'run-start', files: 7 }) +
      FILES.slice(0, 4)
        .map((file) => finishedFile(file))
        .join('') +
      finishedFile(FILES[4]!, ['passed', 'skipped']) +
      line({ event: 'collected', file: FILES[5], tests: 3 }) +
      line({ event: 'test', file: FILES[5], name: 't1', state: 'passed' })
    const { run, outcome } = crashedShard(progress)
    const { summary } = await mergeRun({ runId: 'r', outcomes: [outcome], outPath: join(run, 'junit.xml') })
    expect(schemaErrors(summary.outPath)).toBe('')
    const read = await readJUnit(summary.outPath)
    if (!read.ok) throw new Error(read.message)
    const byFile = (file: string) => read.value.report.suites.find((suite) => suite.name === `amp/fast/${file}`)!
    // Recorded passes are the shard's own word: kept as unverified (a skipped case saying so), never as passed.
    for (const file of FILES.slice(0, 4))
      expect(byFile(file).cases.map((c) => [c.name, c.result, c.skipMessage?.slice(0, 27)])).toEqual([
        ['t1', 'skipped', 'unverified: recorded passed'],
        ['t2', 'skipped', 'unverified: recorded passed'],
      ])
    expect(byFile(FILES[4]!).cases.map((c) => c.result)).toEqual(['skipped', 'skipped'])
    expect(byFile(FILES[4]!).properties).toContainEqual({ name: 'xtest.salvaged', value: 'progress.ndjson' })
    expect(byFile(FILES[5]!).cases.map((c) => [c.name, c.result])).toEqual([
      ['t1', 'skipped'],
      ['[xtest] shard_crashed', 'error'],
    ])
    expect(byFile(FILES[5]!).cases[1]!.fault!.message).toContain(
      `${FILES[5]} was still running when the shard ended, after 1 finished test(s)`,
    )
    expect(byFile(FILES[6]!).cases.map((c) => c.name)).toEqual(['[xtest] shard_crashed'])
    expect(summary.totals).toMatchObject({ tests: 11, passed: 0, skipped: 0, unverified: 11, errors: 0, failed: 0, shardErrors: 3 })
    expect(summary.shards.map((s) => [s.status, s.unreportedFiles])).toEqual([['killed', [FILES[5], FILES[6]]]])
    const shardCase = read.value.report.suites.find((suite) => suite.name === 'amp/fast')!.cases[0]!
    expect(shardCase.fault!.body).toContain(`2 of 7 planned file(s) have no result:\n  ${FILES[5]}\n  ${FILES[6]}`)
    expect(shardCase.fault!.body).toContain(
      '5 file(s) finished before the shard ended; their results come from progress.ndjson (its passes are unverified)',
    )
    expect(exitCodeFor(summary)).toBe(1)
  })

  test('recorded failures stay failures, and a file that ended failed without a failed test gets one', async () => {
    const progress =
      finishedFile(FILES[0]!, ['passed', 'failed']) +
      line({ event: 'collected', file: FILES[1], tests: 1 }) +
      line({ event: 'test', file: FILES[1], name: 't1', state: 'passed' }) +
      line({ event: 'done', file: FILES[1], state: 'failed' })
    const { run, outcome } = crashedShard(progress)
    const { summary } = await mergeRun({ runId: 'r', outcomes: [outcome], outPath: join(run, 'junit.xml') })
    expect(summary.failures.filter((f) => f.type === 'xtest.salvaged').map((f) => [f.file, f.name])).toEqual([
      [FILES[0], 't2'],
      [FILES[1], `[xtest] ${FILES[1]}`],
    ])
  })

  test('without progress.ndjson everything is a crash case, as before', async () => {
    const { run, outcome } = crashedShard(null)
    const { summary } = await mergeRun({ runId: 'r', outcomes: [outcome], outPath: join(run, 'junit.xml') })
    expect(summary.totals).toMatchObject({ tests: 0, errors: 0, passed: 0, shardErrors: 8 })
    expect(summary.notes).toEqual([])
  })
})

describe('progress.ndjson is untrusted data', () => {
  test('garbage, unknown events, other files, odd types and __proto__ are ignored; names are sanitized', () => {
    const input = [
      'not json',
      '[1,2]',
      '{"event":5}',
      line({ event: 'test', file: '../../etc/passwd', name: 'x', state: 'passed' }),
      line({ event: 'test', file: FILES[0], name: { toString: 1 }, state: 'passed' }),
      line({ event: 'test', file: FILES[0], name: 'n', state: 'pending' }),
      line({ event: 'test', file: FILES[0], name: 'ok\u001b[31m\u0000', state: 'passed' }),
      '{"event":"done","file":"src/f1.test.ts","state":"passed","__proto__":{"polluted":true}}',
      line({ event: 'collected', file: FILES[0], tests: -1 }),
      line({ event: 'hack', file: FILES[0] }),
    ].join('\n')
    const record = parseProgress(input, FILES, '', LIMITS)
    expect([...record.files.keys()]).toEqual([FILES[0]])
    expect(record.files.get(FILES[0]!)).toEqual({ tests: [{ name: 'ok\uFFFD', state: 'passed' }], done: 'passed' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(record.notes).toEqual([
      'progress.ndjson: 7 line(s) that are not a known event were ignored',
      'progress.ndjson: 1 event(s) name a file the shard was not given; ignored',
    ])
  })

  test('a line cap and a byte cap bound the work; a cut last line is dropped', async () => {
    const many = Array.from({ length: 50 }, () => line({ event: 'test', file: FILES[0], name: 't', state: 'passed' })).join('')
    expect(parseProgress(many, FILES, '', { ...LIMITS, maxLines: 10 }).files.get(FILES[0]!)!.tests).toHaveLength(10)
    const dir = tempDir()
    writeFileSync(join(dir, 'progress.ndjson'), many)
    const capped = await readProgress(join(dir, 'progress.ndjson'), FILES, '', { ...LIMITS, maxBytes: 1000 })
    expect(capped.files.get(FILES[0]!)!.tests.length).toBe(
      Math.floor(1000 / line({ event: 'test', file: FILES[0], name: 't', state: 'passed' }).length),
    )
    expect(capped.notes).toEqual(['progress.ndjson is larger than 1000 bytes; only its start was read'])
  })

  test('a FIFO is ignored at once (never blocks), a symlink is not followed', async () => {
    const dir = tempDir()
    execFileSync('mkfifo', [join(dir, 'progress.ndjson')])
    const fifo = await readProgress(join(dir, 'progress.ndjson'), FILES, '')
    expect(fifo).toEqual({ files: new Map(), notes: ['progress.ndjson is not a regular file (a FIFO, device or folder); ignored'] })
    const other = tempDir()
    writeFileSync(join(other, 'real.ndjson'), finishedFile(FILES[0]!))
    symlinkSync(join(other, 'real.ndjson'), join(other, 'progress.ndjson'))
    const link = await readProgress(join(other, 'progress.ndjson'), FILES, '')
    expect(link).toEqual({ files: new Map(), notes: ['progress.ndjson is a symbolic link; ignored'] })
  })
})
