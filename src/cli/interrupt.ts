/**
 * First Ctrl-C / SIGTERM: abort the run (stop scheduling, stop and remove containers, write the
 * report). A second signal: run `force` (kill what is left) and exit 130 at once.
 * NOTE: npm and some shells deliver SIGINT twice for one Ctrl-C within a few ms; signals closer
 * together than 200 ms count as one (as Playwright's sigIntWatcher does).
 */
export function watchInterrupts(controller: AbortController, force: () => Promise<void>, exit: (code: number) => void = process.exit) {
  let first = 0
  const onSignal = () => {
    const now = Date.now()
    if (!first) { first = now; controller.abort('interrupted'); return }
    if (now - first < 200) return
    const deadline = setTimeout(() => exit(130), 1500)
    void force().finally(() => { clearTimeout(deadline); exit(130) })
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
