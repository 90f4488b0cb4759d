/**
 * The first SIGINT / SIGTERM / SIGHUP (Ctrl-C, a CI cancel, a closed terminal) aborts the run: stop scheduling,
 * stop and remove containers, write the report. A second signal runs `force` (kill what is left) and exits 130 at once.
 * NOTE: npm and some shells deliver SIGINT twice for one Ctrl-C within a few ms; signals closer together than
 * 200 ms count as one (as Playwright's sigIntWatcher does).
 * Also: the parent going away counts as the first signal. `npx xtest` runs xtest under `sh -c`; npm forwards a
 * SIGTERM to that shell only, which dies and leaves xtest running for nobody (docs/ci.md, "Signals").
 */
import { ExitCode } from '../core/exit-codes.js'

const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export interface InterruptOptions {
  /** Called once, on the first signal or when the parent is gone, with a one-line cause. */
  onInterrupt?(cause: string): void
  exit?: (code: number) => void
  /** How often to look for a new parent pid (ms); 0 turns the parent watch off. Default 500. */
  parentPollMs?: number
  /** What stops, for the message. Default 'the run'. */
  subject?: string
}

export function watchInterrupts(controller: AbortController, force: () => Promise<void>, options: InterruptOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code))
  let first = 0
  let forcing = false
  const subject = options.subject ?? 'the run'
  const interrupt = (cause: string) => {
    if (first) return false
    first = Date.now()
    options.onInterrupt?.(cause)
    controller.abort('interrupted')
    return true
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt(`${signal}: stopping ${subject} (a second signal kills at once)`)) return
    if (Date.now() - first < 200 || forcing) return
    forcing = true
    const deadline = setTimeout(() => exit(ExitCode.interrupted), 1500)
    void force().finally(() => {
      clearTimeout(deadline)
      exit(ExitCode.interrupted)
    })
  }
  for (const signal of INTERRUPT_SIGNALS) process.on(signal, onSignal)
  const stopWatchingParent = watchParent(options.parentPollMs ?? 500, (parent) => {
    interrupt(`the process that started xtest (pid ${parent}) is gone: stopping ${subject}`)
  })
  // After an interrupt the process still has its report to write and its output to flush: a second signal then must
  // still exit 130 (forcing), never fall back to Node's default and die by the signal.
  return () => {
    if (!first) for (const signal of INTERRUPT_SIGNALS) process.off(signal, onSignal)
    stopWatchingParent()
  }
}

/**
 * Calls `onGone` once when this process gets a new parent (its parent died and it was reparented to init or a
 * subreaper). Not when xtest was already an orphan at start (pid 1 as parent: a container's entrypoint, `setsid -f`).
 */
function watchParent(everyMs: number, onGone: (parent: number) => void): () => void {
  const parent = process.ppid
  if (everyMs <= 0 || parent <= 1) return () => {}
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    onGone(parent)
  }, everyMs).unref()
  return () => clearInterval(timer)
}
