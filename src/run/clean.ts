import os from 'node:os'
import type { EngineClient } from '../runtimes/engine-client.js'
import { EngineError } from '../core/errors.js'
import { killShardProcesses, ownerAlive, pidAlive } from '../runtimes/process-sweep.js'

export interface CleanOptions {
  /** Remove this run's containers whatever their state (second Ctrl-C). */
  runId?: string
  /** Treat pids on this host as alive or dead; injectable for tests. */
  isAlive?: (pid: number) => boolean
  now?: () => number
}

/**
 * Removes what xtest runs left behind, found by label. Without `runId`, only runs whose owner is
 * gone: same host and its pid is dead, or its deadline has passed. Never touches anything without
 * an `xtest.run` label, nor the containers of a live run.
 */
export async function cleanLeftovers(engine: EngineClient, options: CleanOptions = {}): Promise<string[]> {
  const filter = options.runId ? [`xtest.run=${options.runId}`] : ['xtest.run']
  const containers = await engine.listContainers(filter)
  const isAlive = options.isAlive ?? pidAlive
  const now = (options.now ?? Date.now)() / 1000
  const removed: string[] = []
  await Promise.all(
    containers.map(async (info) => {
      const labels = info.Labels ?? {}
      if (!options.runId && !isDead(labels, isAlive, now)) return
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

function isDead(labels: Record<string, string>, isAlive: (pid: number) => boolean, nowSeconds: number): boolean {
  const deadline = Number(labels['xtest.deadline'])
  if (Number.isFinite(deadline) && deadline > 0 && deadline < nowSeconds) return true
  if (labels['xtest.host'] !== os.hostname()) return false
  const pid = Number(labels['xtest.pid'])
  return Number.isInteger(pid) && pid > 0 && !isAlive(pid)
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
