// Containers of xtest runs (a stopped run, crashed owners, `xtest clean`) are removed by label, never unlabelled ones.
import type { EngineClient } from '../runtimes/engine-client.js'
import { EngineError } from '../core/errors.js'
import { killShardProcesses, ownerAlive } from '../runtimes/process-sweep.js'
import { hostIdentity, ownerProvenDead, repoLabelOf } from '../runtimes/owner-labels.js'

/**
 * Which containers go. `runId`: every one of that run, whatever its state (second Ctrl-C). `all`: every xtest
 * container on the engine (`xtest clean --all`). `repoRoot`: the containers of this repository whose owner is
 * proven dead (see ownerProvenDead); another repository's, or one without the labels, are never touched.
 */
export type CleanScope = { runId: string } | { all: true } | { repoRoot: string }

/** Removes what xtest runs left behind, found by label; never touches anything without an `xtest.run` label. */
export async function cleanLeftovers(engine: EngineClient, scope: CleanScope): Promise<string[]> {
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
