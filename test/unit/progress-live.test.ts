import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { expectedMs, Progress } from '../../src/cli/progress.js'
import { bar, fitWidth, NO_PAINT, type Overall, progressBlock, type RunningShard } from '../../src/cli/progress-format.js'
import { PROGRESS_LIMITS, ProgressReader, type ReadEvent } from '../../src/core/progress.js'
import type { ShardOutcome, ShardSpec } from '../../src/core/shard.js'
import { makeOutput } from '../../src/shared/output.js'

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-progress-'))
const event = (value: object) => `${JSON.stringify(value)}\n`
const passed = (state = 'passed') => event({ event: 'test', file: 'a.test.ts', name: 't', state })
// What the live view counts from the events read so far.
const counts = (events: readonly ReadEvent[]) => ({
  total: events.reduce((n, e) => n + (e.event === 'collected' ? e.tests : 0), 0),
  done: events.filter((e) => e.event === 'test').length,
  failed: events.filter((e) => e.event === 'test' && e.state === 'failed').length,
  skipped: events.filter((e) => e.event === 'test' && e.state === 'skipped').length,
})

describe("following a shard's progress.ndjson (attacker-controlled)", () => {
  test('reads incrementally: a line cut between polls counts once it is whole', () => {
    const file = path.join(dir(), 'progress.ndjson')
    fs.writeFileSync(file, event({ event: 'collected', file: 'a.test.ts', tests: 3 }) + passed() + '{"event":"te')
    const reader = new ProgressReader(file)
    const seen = reader.read().events
    expect(counts(seen)).toMatchObject({ total: 3, done: 1, failed: 0 })
    fs.appendFileSync(file, 'st","file":"a.test.ts","name":"t","state":"failed"}\n' + passed('skipped'))
    expect(counts([...seen, ...reader.read().events])).toMatchObject({ total: 3, done: 3, failed: 1, skipped: 1 })
  })

  test('a symlink (to a secret) and a FIFO are refused without blocking; garbage and huge lines are skipped', () => {
    const d = dir()
    const secret = path.join(d, 'secret')
    fs.writeFileSync(secret, event({ event: 'collected', file: 'x', tests: 99 }))
    fs.symlinkSync(secret, path.join(d, 'link.ndjson'))
    const link = new ProgressReader(path.join(d, 'link.ndjson'))
    expect(link.read().events).toEqual([])
    expect(link.problem).toBe('progress.ndjson is a symbolic link; ignored')
    execFileSync('mkfifo', [path.join(d, 'fifo.ndjson')])
    const fifo = new ProgressReader(path.join(d, 'fifo.ndjson'))
    expect(fifo.read().events).toEqual([])
    expect(fifo.problem).toMatch(/^progress.ndjson is not a regular file/)
    const file = path.join(d, 'progress.ndjson')
    fs.writeFileSync(
      file,
      `not json\n[1,2]\n${event({ event: 'collected', file: 'a', tests: -5 })}${'x'.repeat(200_000)}\n${passed('failed')}`,
    )
    const garbage = new ProgressReader(file, { ...PROGRESS_LIMITS, chunkBytes: 4096, maxLineBytes: 1000 })
    expect(counts(garbage.drain())).toMatchObject({ total: 0, done: 1, failed: 1 })
    expect(garbage.bad).toBe(4)
  })

  test('stops at its byte cap; a replaced file is read again from its start', () => {
    const file = path.join(dir(), 'progress.ndjson')
    fs.writeFileSync(file, passed().repeat(1000))
    const capped = new ProgressReader(file, { ...PROGRESS_LIMITS, chunkBytes: 1000, maxBytes: 5000 })
    expect(counts(capped.drain()).done).toBe(Math.floor(5000 / passed().length))
    expect(capped.problem).toBe('progress.ndjson is larger than 5000 bytes; only its start was read')
    const reader = new ProgressReader(file, { ...PROGRESS_LIMITS, chunkBytes: 1 << 20 })
    expect(counts(reader.read().events).done).toBe(1000)
    fs.rmSync(file)
    fs.writeFileSync(file, passed('failed'))
    const again = reader.read()
    expect(again.fromStart).toBe(true)
    expect(counts(again.events)).toMatchObject({ done: 1, failed: 1 })
  })
})

describe("the finished shard's copy of its progress.ndjson", () => {
  test('is read from where the live view stopped; a copy shorter than that is read from its start', () => {
    const d = dir()
    const live = path.join(d, 'live.ndjson')
    fs.writeFileSync(live, event({ event: 'collected', file: 'a.test.ts', tests: 4 }) + passed() + passed('failed'))
    const reader = new ProgressReader(live)
    expect(counts(reader.read().events)).toMatchObject({ total: 4, done: 2, failed: 1 })
    const copy = path.join(d, 'copy.ndjson')
    fs.writeFileSync(copy, `${fs.readFileSync(live, 'utf8')}${passed()}${passed('skipped')}`)
    reader.moveTo(copy)
    const rest = reader.rest()
    expect(rest.fromStart).toBe(false)
    expect(counts(rest.events)).toMatchObject({ total: 0, done: 2, failed: 0, skipped: 1 })
    const shorter = path.join(d, 'shorter.ndjson')
    fs.writeFileSync(shorter, passed('failed'))
    reader.moveTo(shorter)
    const again = reader.rest()
    expect(again.fromStart).toBe(true)
    expect(counts(again.events)).toMatchObject({ done: 1, failed: 1 })
  })

  test('ends a plain shard line with every test counted once and each failure printed once', async () => {
    const d = dir()
    const exchange = path.join(d, 'exchange.ndjson')
    const head = event({ event: 'collected', file: 'a.test.ts', tests: 3 }) + passed('failed')
    fs.writeFileSync(exchange, head)
    const stderr = new PassThrough()
    let text = ''
    stderr.on('data', (chunk) => (text += chunk))
    const progress = new Progress(makeOutput({ stdout: new PassThrough(), stderr }), { tickMs: 5 })
    const spec = { id: 'amp.fast', files: ['a.test.ts'] } as ShardSpec
    progress.start(spec)
    progress.progressFile(spec, exchange)
    while (!text.includes('✗')) await new Promise((resolve) => setTimeout(resolve, 5))
    const run = path.join(d, 'run')
    fs.mkdirSync(run)
    fs.writeFileSync(path.join(run, 'progress.ndjson'), head + passed() + passed('failed'))
    progress.end({ id: 'amp.fast', exitCode: 1, durationMs: 1000, junitPath: path.join(run, 'junit.xml') } as ShardOutcome)
    progress.stop()
    expect(text.match(/✗ a\.test\.ts > t/g)).toHaveLength(2)
    expect(text.trim().split('\n').at(-1)).toBe('done   amp.fast in 1.0s: exit 1 (3 tests, 2 failed)')
  })
})

describe('the progress block', () => {
  const shard = (id: string, done: number, total: number): RunningShard => ({
    id,
    files: 2,
    elapsedMs: 3100,
    expected: { ms: 5000, last: true },
    progress: { total, filesCollected: 2, done, failed: 1, skipped: 0 },
  })
  const overall: Overall = { shardsDone: 1, shardsTotal: 6, testsDone: 14, failed: 2, elapsedMs: 8200, fraction: 0.45, etaMs: 10_000 }

  test('one line per running shard with done/total, failures, elapsed of expected; an overall bar with ETA', () => {
    expect(progressBlock([shard('amp.fast', 12, 23)], overall, 100, 30, NO_PAINT)).toEqual([
      '  amp.fast  █████░░░░░ 12/23 tests  1 failed  3.1s of ~5.0s',
      '  █████████░░░░░░░░░░░  45%  1/6 shards  14 tests  2 failed  8.2s  ETA 10.0s',
    ])
  })

  test('fits the width and the height of the terminal', () => {
    const many = Array.from({ length: 40 }, (_, i) => shard(`container-with-a-long-name.fast.${i}`, i, 40))
    const block = progressBlock(many, overall, 50, 12, NO_PAINT)
    expect(block).toHaveLength(9)
    expect(block[7]).toBe('  … and 33 more running')
    expect(block.every((line) => [...line].length <= 49)).toBe(true)
    expect(fitWidth('\x1b[31mabcdef\x1b[39m', 4)).toBe('\x1b[31mabc…\x1b[0m')
    expect(bar(0.5, 4)).toBe('██░░')
  })

  test('expected time: recorded file times, the median for files without one', () => {
    const timings = {
      version: 1 as const,
      updatedAt: '',
      entries: { 'amp/fast/a': { ms: 100, runs: 1, seen: '' }, 'amp/fast/b': { ms: 300, runs: 1, seen: '' } },
    }
    expect(expectedMs({ container: 'amp', tier: 'fast', files: ['a', 'b', 'c'] }, timings)).toBe(700)
    expect(expectedMs({ container: 'amp', tier: 'fast', files: ['z'] }, timings)).toBeUndefined()
  })
})

describe('plain progress (CI, pipes)', () => {
  test('a line per shard event and at most one heartbeat per shard every 30 s', async () => {
    const stderr = new PassThrough()
    let text = ''
    stderr.on('data', (chunk) => (text += chunk))
    let now = 0
    const progress = new Progress(makeOutput({ stdout: new PassThrough(), stderr }), { now: () => now, tickMs: 5 })
    const spec = { id: 'amp.fast', files: ['a', 'b'] } as ShardSpec
    progress.start(spec)
    for (let t = 0; t <= 95_000; t += 5_000) {
      now = t
      await new Promise((resolve) => setTimeout(resolve, 12))
    }
    progress.end({ id: 'amp.fast', exitCode: 0, durationMs: 95_000, junitPath: '' } as ShardOutcome)
    progress.stop()
    const lines = text.trim().split('\n')
    expect(lines[0]).toBe('start  amp.fast (2 files)')
    expect(lines.filter((line) => line.startsWith('...    amp.fast running for'))).toHaveLength(3)
    expect(lines.at(-1)).toBe('done   amp.fast in 1m35s: ok')
    expect(text).not.toContain('\x1b[')
  })
})
