export type TierTags = Record<string, { timeout?: number }>
export type EndReason = 'timeout' | 'interrupted' | 'bail'

/**
 * Ends a shard (or `xtest exec`'s command, with no timeout: Infinity) gracefully then forcefully, on its tier timeout
 * or when the run is aborted (the abort reason says 'interrupted' or 'bail'): SIGTERM, then SIGKILL after `graceMs`.
 */
export function shardTimer(timeoutMs: number, signal: AbortSignal, stop: (sig: NodeJS.Signals) => void, graceMs = 10_000) {
  let reason: EndReason | undefined
  let killTimer: NodeJS.Timeout | undefined
  const end = (why: EndReason, grace: number) => {
    if (reason) return
    reason = why
    stop('SIGTERM')
    killTimer = setTimeout(() => stop('SIGKILL'), grace)
  }
  const timeout = timeoutMs < Number.POSITIVE_INFINITY ? setTimeout(() => end('timeout', graceMs), timeoutMs) : undefined
  const onAbort = () => end(signal.reason === 'bail' ? 'bail' : 'interrupted', 3_000)
  if (signal.aborted) onAbort()
  else signal.addEventListener('abort', onAbort, { once: true })
  return {
    reason: () => reason,
    dispose: () => {
      clearTimeout(timeout)
      if (killTimer) clearTimeout(killTimer)
      signal.removeEventListener('abort', onAbort)
    },
  }
}
