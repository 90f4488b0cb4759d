import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { Progress } from '../../src/cli/progress.js'
import { RunEstimate, smoothEta } from '../../src/cli/progress-estimate.js'
import { NO_PAINT, type RunningShard, shardLine } from '../../src/cli/progress-format.js'
import type { ShardOutcome, ShardSpec } from '../../src/core/shard.js'
import { lastShardWalls } from '../../src/run/last-walls.js'
import { makeOutput } from '../../src/shared/output.js'

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-honest-'))
const event = (value: object) => `${JSON.stringify(value)}\n`

// mulberry32: a seeded PRNG, so a failing sequence is found again from its seed.
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('the overall estimate', () => {
  test('property: over random event sequences the fraction never goes down and the ETA never jumps (500 seeds)', () => {
    const problems: string[] = []
    for (let seed = 1; seed <= 500; seed++) {
      const next = prng(seed)
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
      const ids = Array.from({ length: 1 + Math.floor(next() * 8) }, (_, i) => `c.fast.${i}`)
      // Some shards have no expected time (first run): they weigh the median of the others.
      const estimate = new RunEstimate(new Map(ids.map((id) => [id, next() < 0.3 ? undefined : 100 + next() * 20_000])))
      let now = 0
      let last: { fraction: number; etaMs?: number; at: number } = { fraction: 0, at: 0 }
      for (let step = 0; step < 200; step++) {
        now += Math.floor(next() * 1500)
        const roll = next()
        // Raw shard fractions go up and down (a test-based one after a time-based one, totals that grow, garbage).
        if (roll < 0.7) estimate.update(pick(ids), pick([next(), next() * 2, -1, Number.NaN, Infinity, 0]))
        else if (roll < 0.85) estimate.finish(pick(ids))
        else estimate.update(`unplanned.${Math.floor(next() * 3)}`, next())
        const overall = estimate.overall(now, now)
        const where = () => `seed ${seed}, step ${step}: ${JSON.stringify(last)} → ${JSON.stringify(overall)} at ${now}`
        if (overall.fraction < last.fraction || overall.fraction > 1) problems.push(`fraction: ${where()}`)
        if (overall.etaMs !== undefined && last.etaMs !== undefined) {
          const counted = Math.max(0, last.etaMs - (now - last.at))
          if (overall.etaMs > counted * 1.5 + 1000 + 1e-6 || overall.etaMs < counted / 1.5 - 1e-6) problems.push(`ETA: ${where()}`)
        }
        last = { ...overall, at: now }
      }
    }
    expect(problems.slice(0, 5)).toEqual([])
  })

  test('an ETA whose raw estimate jumps between 3 s and 10 s moves smoothly', () => {
    let eta: { ms: number; at: number } | undefined
    const shown: number[] = []
    for (let at = 0; at <= 5000; at += 500) {
      const ms = smoothEta(eta, at % 1000 === 0 ? 10_000 : 3000, at)!
      eta = { ms, at }
      shown.push(ms)
    }
    for (let i = 1; i < shown.length; i++) expect(Math.abs(shown[i]! - shown[i - 1]!)).toBeLessThan(2000)
  })

  test('a running shard counts below its share until it ends, however far its tests are', () => {
    const estimate = new RunEstimate(
      new Map([
        ['a', 1000],
        ['b', 1000],
      ]),
    )
    estimate.update('a', 1)
    expect(estimate.overall(0, 0).fraction).toBeCloseTo(0.475)
    estimate.finish('a')
    expect(estimate.overall(0, 0).fraction).toBe(0.5)
  })
})

describe("a shard's expected time", () => {
  const shard = (expected: RunningShard['expected']): RunningShard => ({
    id: 'amp.fast',
    files: 2,
    elapsedMs: 1500,
    progress: { total: 4, filesCollected: 2, done: 2, failed: 0, skipped: 0 },
    ...(expected && { expected }),
  })

  test('its last wall time; without one it says first run (and what its tests took, if known)', () => {
    expect(shardLine(shard({ ms: 8000, last: true }), 8, NO_PAINT)).toMatch(/1\.5s of ~8\.0s$/)
    expect(shardLine(shard({ ms: 399, last: false }), 8, NO_PAINT)).toMatch(/1\.5s \(first run; tests took ~399ms\)$/)
    expect(shardLine(shard(undefined), 8, NO_PAINT)).toMatch(/1\.5s \(first run\)$/)
    expect(shardLine({ ...shard({ ms: 1000, last: true }), elapsedMs: 5000 }, 8, NO_PAINT)).toContain('(slower than last time)')
  })

  test('read from the newest run folders that ran it to its end; files it gained or lost adjust it', () => {
    const out = tempDir()
    const write = (run: string, id: string, outcome: object) => {
      fs.mkdirSync(path.join(out, 'runs', run, id), { recursive: true })
      fs.writeFileSync(path.join(out, 'runs', run, id, 'shard.json'), JSON.stringify(outcome))
    }
    const ran = (durationMs: number, files: string[], extra = {}) => ({ durationMs, files, exitCode: 0, ...extra })
    write('20261201-100000-aaaa', 'amp.fast', ran(9000, ['a', 'b']))
    write('20261202-100000-aaaa', 'amp.fast', ran(8000, ['a', 'b']))
    write('20261203-100000-aaaa', 'amp.fast', ran(60_000, ['a', 'b'], { ended: 'timeout' }))
    write('20261201-100000-aaaa', 'amp.slow', ran(5000, ['a', 'c']))
    write('20261203-100000-aaaa', 'opt.fast', ran(3000, ['x'], { exitCode: null }))
    fs.mkdirSync(path.join(out, 'runs', '20261204-100000-aaaa', 'amp.fast'), { recursive: true })
    fs.symlinkSync('/etc/passwd', path.join(out, 'runs', '20261204-100000-aaaa', 'amp.fast', 'shard.json'))
    const timings = {
      version: 1 as const,
      updatedAt: '',
      entries: { 'amp/slow/c': { ms: 1000, runs: 1, seen: '' }, 'amp/slow/d': { ms: 400, runs: 1, seen: '' } },
    }
    const shards = [
      { id: 'amp.fast', container: 'amp', tier: 'fast' as const, files: ['a', 'b'] },
      { id: 'amp.slow', container: 'amp', tier: 'slow' as const, files: ['a', 'd'] },
      { id: 'opt.fast', container: 'opt', tier: 'fast' as const, files: ['x'] },
    ]
    expect(lastShardWalls(out, shards, timings)).toEqual(
      new Map([
        ['amp.fast', 8000],
        ['amp.slow', 4400],
      ]),
    )
    expect(lastShardWalls(path.join(out, 'nowhere'), shards)).toEqual(new Map())
  })
})

describe('failed tests as they fail', () => {
  test('plain: one neutralised line per failed test while the shard runs, none again from its final copy', async () => {
    const stderr = new PassThrough()
    let text = ''
    stderr.on('data', (chunk) => (text += chunk))
    const progress = new Progress(makeOutput({ stdout: new PassThrough(), stderr }), { mode: 'plain', tickMs: 5 })
    const exchange = tempDir()
    const live = path.join(exchange, 'progress.ndjson')
    const hostile = 'adds\x1b]52;c;SGVsbG8=\x07 prices\n::add-mask::x'
    fs.writeFileSync(
      live,
      event({ event: 'test', file: 'src/a.test.ts', name: 'ok', state: 'passed' }) +
        event({ event: 'test', file: 'src/a.test.ts', name: `money > ${hostile}`, state: 'failed' }),
    )
    progress.start({ id: 'amp.fast', files: ['src/a.test.ts'] } as ShardSpec)
    progress.progressFile({ id: 'amp.fast' } as ShardSpec, live)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(text).toContain('✗ src/a.test.ts > money > adds prices⏎::add-mask::x  [amp.fast]\n')
    // The run folder's copy has the same events and one more failure: only that one is printed.
    const copy = tempDir()
    fs.writeFileSync(
      path.join(copy, 'progress.ndjson'),
      `${fs.readFileSync(live, 'utf8')}${event({ event: 'test', file: 'src/b.test.ts', name: 'late', state: 'failed' })}`,
    )
    progress.end({ id: 'amp.fast', exitCode: 1, durationMs: 90, junitPath: path.join(copy, 'junit.xml') } as ShardOutcome)
    progress.stop()
    expect(text.match(/✗ /g)).toHaveLength(2)
    expect(text).toContain('✗ src/b.test.ts > late  [amp.fast]\n')
    expect(text).toMatch(/done {3}amp\.fast in 90ms: exit 1 \(3 tests, 2 failed\)\n$/)
    expect(text).not.toContain('\x1b')
  })
})
