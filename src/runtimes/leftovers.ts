// What xtest runs leave behind when their owner dies (containers, local shard processes): found by label or by
// environment, and removed before a run, after a second Ctrl-C and by `xtest clean`.

import { EngineError, InfraError } from '../core/errors.js'
import { withTimeout } from '../shared/with-timeout.js'
import { createEngine, probeEngine } from './engine.js'
import type { EngineClient } from './engine-client.js'
import { hostIdentity, ownerProvenDead, repoLabelOf } from './owner-labels.js'
import { killShardProcesses, ownerAlive } from './process-sweep.js'

/**
 * Which containers go. `runId`: every one of that run, whatever its state (second Ctrl-C). `all`: every xtest
 * container on the engine (`xtest clean --all`). `repoRoot`: the containers of this repository whose owner is
 * proven dead (see ownerProvenDead); another repository's, or one without the labels, are never touched.
 */
type CleanScope = { runId: string } | { all: true } | { repoRoot: string }

/** Removes what xtest runs left behind, found by label; never touches anything without an `xtest.run` label. */
async function cleanLeftovers(engine: EngineClient, scope: CleanScope): Promise<string[]> {
  const containers = await engine.listContainers('runId' in scope ? [`xtest.run=${scope.runId}`] : ['xtest.run'])
  const here = hostIdentity()
  const repo = 'repoRoot' in scope ? repoLabelOf(scope.repoRoot) : undefined
  const removed: string[] = []
  await Promise.all(
    containers.map(async (info) => {
      const labels = info.Labels ?? {}
      if (repo !== undefined && (labels['xtest.repo'] !== repo || !ownerProvenDead(labels, here))) return
      try {
        await engine.removeContainer(info.Id)
        removed.push(info.Id)
      } catch (error) {
        if (!(error instanceof EngineError && error.statusCode === 404)) throw error
      }
    }),
  )
  return removed
}

/**
 * Kills the host processes of local shards whose xtest is gone (killed with -9, crashed): found by the
 * XTEST_RUN_ID and XTEST_OWNER in their environment, so also a test's detached children. Linux only.
 * With `all`, every local shard process, its owner alive or not. Returns the pids killed.
 */
export function reapLocalShards(options: { all?: boolean; ownerAlive?: (token: string) => boolean } = {}): number[] {
  const alive = options.ownerAlive ?? ownerAlive
  return killShardProcesses((p) => p.owner !== undefined && (options.all === true || !alive(p.owner)))
}

/**
 * Before a run: removes the containers of this repository's runs whose owner is proven dead (killed with -9,
 * crashed), on every engine the run uses. Other repositories' containers, and any whose owner may live (another
 * host, boot or pid namespace), are left alone. Never fails the run: a sweep that cannot finish is skipped.
 */
export async function sweepDeadRuns(engines: EngineClient[], repoRoot: string, onNotice?: (line: string) => void): Promise<number> {
  let removed = 0
  for (const engine of new Set(engines)) {
    try {
      removed += (await withTimeout(cleanLeftovers(engine, { repoRoot }), 15_000, 'sweep timed out')).length
    } catch (error) {
      onNotice?.(`could not sweep leftovers of dead runs: ${(error as Error).message}`)
    }
  }
  if (removed > 0) onNotice?.(`removed ${removed} container${removed === 1 ? '' : 's'} left by dead xtest runs`)
  return removed
}

/** `xtest clean`: the containers in `scope` on the default engine; exit 3 when it does not answer. Returns their ids. */
export async function removeLeftoverContainers(scope: CleanScope): Promise<string[]> {
  const engine = await createEngine()
  // An engine that accepts the connection but never answers: one line in seconds, not a hang per call.
  const probe = await probeEngine(engine)
  if (!probe.ok)
    throw new InfraError(`cannot reach the container engine at ${engine.endpoint}: ${probe.message}`, 'XTEST_ENGINE_UNREACHABLE')
  return cleanLeftovers(engine, scope).catch((error: Error) => {
    throw new InfraError(`cannot reach the container engine: ${error.message}`, 'XTEST_ENGINE_UNREACHABLE')
  })
}

/** Removes every container of one run, whatever its state; quiet when the engine cannot be reached. */
export async function removeRunContainers(runId: string): Promise<void> {
  await cleanLeftovers(await createEngine(), { runId }).catch(() => {})
}
