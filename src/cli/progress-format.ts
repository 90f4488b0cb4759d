// The live progress block as text: one line per running shard, an overall bar with an ETA, cut to the terminal's
// width. Pure functions, so the layout is tested without a terminal.
import { formatDuration } from '../shared/duration.js'
import { plural } from '../shared/plural.js'

/** What a shard has reported so far (its progress.ndjson folded). */
export interface ShardProgress {
  /** Tests of its tier in the files collected so far. */
  total: number
  /** Files collected so far (a total counts every planned file once they all are). */
  filesCollected: number
  done: number
  failed: number
  skipped: number
}

export const emptyProgress = (): ShardProgress => ({ total: 0, filesCollected: 0, done: 0, failed: 0, skipped: 0 })

/** A shard's expected time: its wall time last time (`last`), else only its tests' recorded durations. */
export interface Expected {
  ms: number
  last: boolean
}

export interface RunningShard {
  id: string
  files: number
  elapsedMs: number
  /** Undefined on a first run: no wall time and no test durations recorded. */
  expected?: Expected
  progress: ShardProgress
}

export interface Overall {
  shardsDone: number
  shardsTotal: number
  testsDone: number
  failed: number
  elapsedMs: number
  /** 0..1 */
  fraction: number
  etaMs?: number
}

export interface Paint {
  red(text: string): string
  dim(text: string): string
  bold(text: string): string
}

const plain = (text: string): string => text
export const NO_PAINT: Paint = { red: plain, dim: plain, bold: plain }
export const ANSI_PAINT: Paint = {
  red: (text) => `\x1b[31m${text}\x1b[39m`,
  dim: (text) => `\x1b[2m${text}\x1b[22m`,
  bold: (text) => `\x1b[1m${text}\x1b[22m`,
}

/** `██████░░░░` of `width` cells. */
export function bar(fraction: number, width: number): string {
  const full = Math.max(0, Math.min(width, Math.round(Math.max(0, Math.min(1, fraction)) * width)))
  return '█'.repeat(full) + '░'.repeat(width - full)
}

const ANSI = /\x1b\[[0-9;]*m/g

/** Cuts `text` (which may hold ANSI colour codes) to `width` visible characters, ending in `…` when cut. */
export function fitWidth(text: string, width: number): string {
  if ([...text.replace(ANSI, '')].length <= width) return text
  let visible = 0
  let out = ''
  for (const part of text.split(/(\x1b\[[0-9;]*m)/)) {
    if (part.startsWith('\x1b[')) {
      out += part
      continue
    }
    for (const char of part) {
      if (visible >= width - 1) return `${out}…${out.includes('\x1b[') ? '\x1b[0m' : ''}`
      out += char
      visible++
    }
  }
  return out
}

/** `  amp.fast  ████░░░░ 12/23 tests  2 failed  3.1s of ~5.0s`; without a last wall time, says it has no estimate. */
export function shardLine(shard: RunningShard, idWidth: number, paint: Paint): string {
  const { progress } = shard
  const complete = progress.filesCollected >= shard.files
  const total = progress.total === 0 && !complete ? '?' : `${progress.total}${complete ? '' : '+'}`
  const fraction = progress.total > 0 ? progress.done / progress.total : 0
  const failed = progress.failed > 0 ? `  ${paint.red(`${progress.failed} failed`)}` : ''
  const { expected } = shard
  const elapsed = formatDuration(shard.elapsedMs)
  const time = !expected
    ? `${elapsed} (first run)`
    : expected.last
      ? `${elapsed} of ~${formatDuration(expected.ms)}`
      : `${elapsed} (first run; tests took ~${formatDuration(expected.ms)})`
  const late = expected?.last && shard.elapsedMs > expected.ms * 1.5 + 2000 ? paint.dim(' (slower than last time)') : ''
  return `  ${paint.bold(shard.id.padEnd(idWidth))}  ${bar(fraction, 10)} ${progress.done}/${total} tests${failed}  ${paint.dim(time)}${late}`
}

/** `  [████████░░░░░░░░] 45%  3/6 shards  14 tests  2 failed  8.2s  ETA 10s`. */
export function overallLine(overall: Overall, paint: Paint): string {
  const failed = overall.failed > 0 ? `  ${paint.red(`${overall.failed} failed`)}` : ''
  const eta = overall.etaMs === undefined ? '' : `  ETA ${formatDuration(Math.max(0, overall.etaMs))}`
  const percent = `${Math.floor(overall.fraction * 100)}%`.padStart(4)
  return `  ${bar(overall.fraction, 20)} ${percent}  ${overall.shardsDone}/${plural(overall.shardsTotal, 'shard')}  ${plural(overall.testsDone, 'test')}${failed}  ${formatDuration(overall.elapsedMs)}${eta}`
}

/** The whole block for a terminal of `columns` × `rows`; shards beyond the rows are summed up in one line. */
export function progressBlock(running: readonly RunningShard[], overall: Overall, columns: number, rows: number, paint: Paint): string[] {
  const idWidth = Math.min(28, Math.max(0, ...running.map((shard) => shard.id.length)))
  const room = Math.max(1, rows - 4)
  const shown = running.length > room ? running.slice(0, room - 1) : running
  const lines = shown.map((shard) => shardLine(shard, idWidth, paint))
  if (shown.length < running.length) lines.push(paint.dim(`  … and ${running.length - shown.length} more running`))
  lines.push(overallLine(overall, paint))
  return lines.map((line) => fitWidth(line, Math.max(10, columns - 1)))
}
