// An image build's time limit (`limits.buildTimeout`), as an AbortSignal the build already honours for Ctrl-C.
import { formatDuration } from '../shared/duration.js'

/** Why a build was stopped: it ran past `limits.buildTimeout`. */
export class BuildTimeout extends Error {
  constructor(readonly ms: number) {
    super(`image build did not finish in ${formatDuration(ms)}`)
  }
}

/**
 * `signal` (Ctrl-C), or the build's time limit, whichever comes first: a build that hangs (a RUN step waiting on
 * the network, a stuck engine) ends the image's shards with exit 3 instead of holding the run forever.
 */
export function withBuildDeadline(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new BuildTimeout(ms)), ms)
  timer.unref()
  controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true })
  if (signal?.aborted) controller.abort(signal.reason)
  else signal?.addEventListener('abort', () => controller.abort(signal.reason), { once: true })
  return controller.signal
}
