import { afterEach, describe, expect, test, vi } from 'vitest'
import { watchInterrupts } from '../../src/cli/interrupt.js'

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
const baseline = Object.fromEntries(SIGNALS.map((signal) => [signal, process.listeners(signal)]))

afterEach(() => {
  vi.useRealTimers()
  // Leave the worker's own listeners as they were.
  for (const signal of SIGNALS)
    for (const listener of process.listeners(signal)) if (!baseline[signal]!.includes(listener)) process.off(signal, listener)
})

const watch = () => {
  const exit = vi.fn<(code: number) => void>()
  const force = vi.fn(async () => {})
  const controller = new AbortController()
  const unwatch = watchInterrupts(controller, force, { exit, parentPollMs: 0 })
  return { exit, force, controller, unwatch }
}

describe('Ctrl-C', () => {
  test('without an interrupt, unwatching leaves no listener behind', () => {
    const { unwatch } = watch()
    unwatch()
    for (const signal of SIGNALS) expect(process.listenerCount(signal)).toBe(baseline[signal]!.length)
  })

  test.each(SIGNALS)('a second %s after the run finished (its report still being written) still forces and exits 130', async (signal) => {
    vi.useFakeTimers({ now: 10_000, toFake: ['Date', 'setTimeout'] })
    const { exit, force, controller, unwatch } = watch()
    process.emit(signal, signal)
    expect(controller.signal.aborted).toBe(true)
    unwatch() // the run returned after the first signal; the process has not exited yet
    vi.setSystemTime(10_300)
    process.emit(signal, signal)
    expect(force).toHaveBeenCalledOnce()
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(130))
  })

  test('two signals within 200 ms count as one (npm and shells send SIGINT twice)', () => {
    vi.useFakeTimers({ now: 10_000, toFake: ['Date', 'setTimeout'] })
    const { exit, force, unwatch } = watch()
    process.emit('SIGINT', 'SIGINT')
    vi.setSystemTime(10_150)
    process.emit('SIGINT', 'SIGINT')
    expect(force).not.toHaveBeenCalled()
    expect(exit).not.toHaveBeenCalled()
    unwatch()
  })
})
