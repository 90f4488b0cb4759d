import type { ShardOutcome, ShardSpec } from '../runtimes/runtime.js'
import { formatDuration } from '../shared/duration.js'
import type { Output } from '../shared/output.js'

/**
 * Shard progress on stderr. On a TTY: one live line per running shard with its elapsed time,
 * redrawn each second. In CI or when piped: one plain line when a shard starts and ends.
 */
export class Progress {
  private readonly running = new Map<string, number>()
  private drawn = 0
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly out: Output, private readonly now: () => number = Date.now) {}

  start(spec: ShardSpec): void {
    this.running.set(spec.id, this.now())
    if (!this.out.interactive) return this.line(`start  ${spec.id} (${spec.files.length} files)`)
    this.timer ??= setInterval(() => this.redraw(), 1000).unref()
    this.redraw()
  }

  end(outcome: ShardOutcome): void {
    this.running.delete(outcome.id)
    const how = outcome.cause ?? (outcome.exitCode === 0 ? 'ok' : `exit ${outcome.exitCode}`)
    this.clear()
    this.line(`done   ${outcome.id} in ${formatDuration(outcome.durationMs)}: ${how}`)
    if (this.out.interactive) this.redraw()
  }

  notice(text: string): void {
    this.clear()
    this.line(text)
    if (this.out.interactive) this.redraw()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.clear()
  }

  private line(text: string): void {
    this.out.stderr.write(`${text}\n`)
  }

  private clear(): void {
    if (!this.out.interactive || this.drawn === 0) return
    this.out.stderr.write(`\x1b[${this.drawn}A\x1b[J`)
    this.drawn = 0
  }

  private redraw(): void {
    this.clear()
    const lines = [...this.running].map(([id, since]) => `  running ${id} ${formatDuration(this.now() - since)}`)
    if (lines.length) this.out.stderr.write(`${lines.join('\n')}\n`)
    this.drawn = lines.length
  }
}
