// Shard progress on stderr, in one of three modes. `tty`: a live block redrawn in place (one line per running shard
// with tests done/total from its progress.ndjson, failures so far, elapsed vs its last wall time, and an overall bar
// with an ETA), lines about failed tests and finished shards scrolling above it. `plain` (CI, pipes): one line per
// shard event and failed test, and at most one heartbeat per shard every 30 s. `none`: nothing but notices.

import { printable } from '../core/printable.js'
import { ProgressReader, progressBeside, type ReadEvent } from '../core/progress.js'
import type { ShardOutcome, ShardSpec } from '../core/shard.js'
import type { Shard } from '../plan/types.js'
import type { ProgressMode } from '../run/request.js'
import { formatDuration } from '../shared/duration.js'
import type { Output } from '../shared/output.js'
import { plural } from '../shared/plural.js'
import { type Timings, timingOf } from '../store/timings.js'
import { RunEstimate } from './progress-estimate.js'
import {
  ANSI_PAINT,
  type Expected,
  emptyProgress,
  NO_PAINT,
  type Overall,
  progressBlock,
  type RunningShard,
  type ShardProgress,
} from './progress-format.js'

export interface ProgressOptions {
  mode?: ProgressMode
  /** The shards the run will start, for the overall bar. */
  planned?: readonly Pick<Shard, 'id' | 'container' | 'tier' | 'files'>[]
  /** Recorded file durations: a shard's expected time only when it has no last wall time. */
  timings?: Timings
  /** Shard id → its wall time last time (run/last-walls.ts): its expected time. */
  lastWalls?: ReadonlyMap<string, number>
  now?: () => number
  /** Redraw (tty) and heartbeat check interval. Default 500 ms. */
  tickMs?: number
  /** Plain mode: at most one heartbeat line per shard per this long. Default 30 s. */
  heartbeatMs?: number
}

// timings.json holds test files' times; a shard also starts Vitest (and maybe a container): about this much more.
const SHARD_OVERHEAD_MS = 1500

interface Running {
  spec: ShardSpec
  since: number
  reader?: ProgressReader
  progress: ShardProgress
  /** Test counts per collected file. */
  collected: Map<string, number>
  /** Failed tests printed so far (the final copy read at the end prints only those after them). */
  printed: number
  lastLine: number
}

export class Progress {
  readonly mode: ProgressMode
  private readonly running = new Map<string, Running>()
  private readonly finished = new Map<string, ShardProgress>()
  private readonly expected = new Map<string, Expected>()
  private readonly estimate: RunEstimate
  private readonly started: number
  private drawn = 0
  private timer: NodeJS.Timeout | undefined
  private readonly now: () => number

  constructor(
    private readonly out: Output,
    private readonly options: ProgressOptions = {},
  ) {
    this.mode = options.mode ?? (out.interactive ? 'tty' : 'plain')
    this.now = options.now ?? Date.now
    this.started = this.now()
    const weights = new Map<string, number | undefined>()
    for (const shard of options.planned ?? []) {
      const last = options.lastWalls?.get(shard.id)
      const tests = expectedMs(shard, options.timings)
      if (last !== undefined) this.expected.set(shard.id, { ms: last, last: true })
      else if (tests !== undefined) this.expected.set(shard.id, { ms: tests, last: false })
      weights.set(shard.id, last ?? (tests === undefined ? undefined : tests + SHARD_OVERHEAD_MS))
    }
    this.estimate = new RunEstimate(weights)
  }

  start(spec: ShardSpec): void {
    this.running.set(spec.id, {
      spec,
      since: this.now(),
      progress: emptyProgress(),
      collected: new Map(),
      printed: 0,
      lastLine: this.now(),
    })
    const expected = this.expected.get(spec.id)
    if (this.mode === 'plain')
      this.line(
        `start  ${spec.id} (${plural(spec.files.length, 'file')})${expected?.last ? ` expected ~${formatDuration(expected.ms)}` : ''}`,
      )
    if (this.mode === 'none') return
    this.timer ??= setInterval(() => this.tick(), this.options.tickMs ?? 500).unref()
    if (this.mode === 'tty') this.emit([])
  }

  /** The runtime says where the shard's progress.ndjson appears (in its exchange folder: read as untrusted data). */
  progressFile(spec: ShardSpec, file: string): void {
    const shard = this.running.get(spec.id)
    if (shard) shard.reader = new ProgressReader(file)
  }

  end(outcome: ShardOutcome): void {
    const shard = this.running.get(outcome.id)
    this.running.delete(outcome.id)
    this.estimate.finish(outcome.id)
    // The exchange folder is gone; the copy the host took into the run folder has the last events: read from where
    // the live view stopped (nothing to read when nothing is shown).
    let progress = shard?.progress ?? emptyProgress()
    if (shard && outcome.junitPath && this.mode !== 'none') {
      const live = { ...shard.progress }
      const copy = progressBeside(outcome.junitPath)
      const reader = shard.reader ?? new ProgressReader(copy)
      reader.moveTo(copy)
      const { events, fromStart } = reader.rest()
      if (fromStart) {
        shard.progress = emptyProgress()
        shard.collected.clear()
      }
      const failed = this.fold(shard, events)
      progress = shard.progress.done >= live.done ? shard.progress : live
      this.emit(failed)
    }
    this.finished.set(outcome.id, progress)
    if (this.mode === 'none') return
    const how = outcome.cause ?? (outcome.exitCode === 0 ? 'ok' : `exit ${outcome.exitCode}`)
    const counts = progress.done > 0 ? ` (${plural(progress.done, 'test')}${progress.failed > 0 ? `, ${progress.failed} failed` : ''})` : ''
    this.emit([`done   ${printable(outcome.id)} in ${formatDuration(outcome.durationMs)}: ${printable(how)}${counts}`])
  }

  notice(text: string): void {
    this.emit([text])
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    if (this.mode === 'tty' && this.drawn > 0) this.out.terminal.write(`\x1b[${this.drawn}A\r${blankLines(this.drawn)}\x1b[?25h`)
    this.drawn = 0
  }

  private line(text: string): void {
    this.out.stderr.write(`${text}\n`)
  }

  /** Folds events into the shard's counts; returns a line for each failed test not printed yet (as Vitest's reporter). */
  private fold(shard: Running, events: readonly ReadEvent[]): string[] {
    const { progress, collected } = shard
    const failed: string[] = []
    for (const event of events)
      if (event.event === 'collected') {
        progress.total += event.tests - (collected.get(event.file) ?? 0)
        collected.set(event.file, event.tests)
        progress.filesCollected = collected.size
      } else if (event.event === 'test') {
        progress.done++
        if (event.state === 'skipped') progress.skipped++
        if (event.state !== 'failed') continue
        if (++progress.failed > shard.printed) failed.push(`✗ ${printable(`${event.file} > ${event.name}`)}  [${printable(shard.spec.id)}]`)
      }
    shard.printed += failed.length
    return this.mode === 'none' ? [] : failed
  }

  private tick(): void {
    const failed: string[] = []
    for (const shard of this.running.values()) {
      if (!shard.reader) continue
      const { events, fromStart } = shard.reader.read()
      if (fromStart) {
        shard.progress = emptyProgress()
        shard.collected.clear()
      }
      failed.push(...this.fold(shard, events))
    }
    if (this.mode === 'tty') {
      this.emit(failed)
      return
    }
    for (const text of failed) this.line(text)
    const heartbeat = this.options.heartbeatMs ?? 30_000
    for (const [id, shard] of this.running) {
      if (this.now() - shard.lastLine < heartbeat) continue
      shard.lastLine = this.now()
      const { done, total, failed } = shard.progress
      this.line(
        `...    ${id} running for ${formatDuration(this.now() - shard.since)}: ${done}/${total} tests${failed > 0 ? `, ${failed} failed` : ''}`,
      )
    }
  }

  /**
   * One write per frame: move up over the old block, print `lines` where it began, then the new block, each line
   * overwritten in place and cleared to its end, and old lines left below it blanked. Nothing is cleared first (no
   * flicker), and never the whole screen (tmux would push it into the scrollback: leftover progress lines).
   */
  private emit(lines: string[]): void {
    if (this.mode !== 'tty') {
      for (const text of lines) this.line(text)
      return
    }
    // The frame goes past the output guard (it moves the cursor): every text in it is made printable here.
    const stream = this.out.terminal as NodeJS.WriteStream
    const block =
      this.running.size === 0
        ? []
        : progressBlock(
            this.runningShards(),
            this.overall(),
            stream.columns || 100,
            stream.rows || 30,
            this.out.color ? ANSI_PAINT : NO_PAINT,
          )
    let frame = this.drawn > 0 ? `\x1b[${this.drawn}A\r` : '\x1b[?25l'
    const all = [...lines.map(printable), ...block]
    for (const text of all) frame += `${text}\x1b[K\n`
    if (all.length < this.drawn) frame += blankLines(this.drawn - all.length)
    this.drawn = block.length
    this.out.terminal.write(frame)
  }

  private runningShards(): RunningShard[] {
    return [...this.running.values()].map((shard) => {
      const running: RunningShard = {
        id: printable(shard.spec.id),
        files: shard.spec.files.length,
        elapsedMs: this.now() - shard.since,
        progress: shard.progress,
      }
      const expected = this.expected.get(shard.spec.id)
      if (expected !== undefined) running.expected = expected
      return running
    })
  }

  private overall(): Overall {
    for (const [id, shard] of this.running) this.estimate.update(id, this.shardFraction(shard))
    const elapsedMs = this.now() - this.started
    const all = [...this.finished.values(), ...[...this.running.values()].map((shard) => shard.progress)]
    return {
      shardsDone: this.finished.size,
      shardsTotal: Math.max(this.options.planned?.length ?? 0, this.finished.size + this.running.size),
      testsDone: all.reduce((n, p) => n + p.done, 0),
      failed: all.reduce((n, p) => n + p.failed, 0),
      elapsedMs,
      ...this.estimate.overall(elapsedMs, this.now()),
    }
  }

  // By its tests once every file is collected, before that by its time against the expected (the estimate keeps the larger).
  private shardFraction(shard: Running): number {
    const { total, done, filesCollected } = shard.progress
    if (total > 0 && filesCollected >= shard.spec.files.length) return done / total
    const expected = this.expected.get(shard.spec.id)
    if (expected === undefined) return 0
    return Math.min(0.9, (this.now() - shard.since) / (expected.ms + (expected.last ? 0 : SHARD_OVERHEAD_MS)))
  }
}

/** Blanks `count` lines from the cursor down, then returns to where it started. */
const blankLines = (count: number): string => `${'\x1b[K\n'.repeat(count)}\x1b[${count}A`

/** A shard's expected time: its files' recorded times, the median for files without one; undefined if none has one. */
export function expectedMs(shard: Pick<Shard, 'container' | 'tier' | 'files'>, timings: Timings | undefined): number | undefined {
  if (timings === undefined) return undefined
  const known = shard.files
    .map((file) => timingOf(timings, shard.container, shard.tier, file))
    .filter((ms): ms is number => ms !== undefined)
  if (known.length === 0) return undefined
  const sorted = [...known].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)]!
  return known.reduce((sum, ms) => sum + ms, 0) + median * (shard.files.length - known.length)
}
