// Notices that a shard's run has ended (its reporter wrote the report) while its process has not exited, which is
// Vitest 5 waiting on a pipe that a test's stray process holds. Only the report's existence is looked at (lstat,
// nothing read): the file is the shard's, and it may lie about anything but being there.
import fs from 'node:fs'

export interface RunEndWatch {
  stop(): void
}

export interface RunEndHandlers {
  /** The report exists and the process still runs `endedMs` later: clear what may hold it (strays). */
  onEnded(): void
  /** Still running `hungMs` after that: end it. */
  onHung(): void
}

export function watchRunEnd(reportPath: string, handlers: RunEndHandlers, endedMs = 3_000, hungMs = 10_000, everyMs = 500): RunEndWatch {
  let seenAt: number | undefined
  let cleared = false
  const timer = setInterval(() => {
    const now = Date.now()
    if (seenAt === undefined) {
      try {
        if (fs.lstatSync(reportPath).isFile()) seenAt = now
      } catch {
        /* not yet */
      }
      return
    }
    if (!cleared && now - seenAt >= endedMs) {
      cleared = true
      handlers.onEnded()
      return
    }
    if (cleared && now - seenAt >= endedMs + hungMs) {
      clearInterval(timer)
      handlers.onHung()
    }
  }, everyMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
