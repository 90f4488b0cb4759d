import fs from 'node:fs'
import { isCI } from '../core/ci.js'
import os from 'node:os'
import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import type { ContainerConfig } from '../config/schema.js'
import { resolveInside } from '../runtimes/repo-mounts.js'
import { ConfigError } from '../core/errors.js'
import type { Shard } from '../plan/types.js'
import type { ShardSpec } from '../core/shard.js'
import type { TierTags } from '../runtimes/shard-timer.js'
import type { RunFolder } from './run-folder.js'

/**
 * Plan shards → runtime specs: paths, timeouts, the environment the config asks for, and a CPU limit (the
 * container's `cpus`, else the shard's share of the cores at this concurrency).
 */
export function toShardSpecs(
  shards: Shard[],
  config: ResolvedConfig,
  folder: RunFolder,
  repoRoot: string,
  vitestArgs: string[],
  hostEnv: NodeJS.ProcessEnv,
  concurrency = Infinity,
  cores = os.availableParallelism(),
): ShardSpec[] {
  const share = defaultShardCpus(cores, concurrency, shards.length)
  return shards.map((shard) => {
    const container = config.containers[shard.container]!
    return {
      runId: folder.runId,
      id: shard.id,
      container: shard.container,
      tier: shard.tier,
      slice: shard.slice,
      files: shard.files,
      root: config.root,
      repoRoot,
      workdir: container.workdir,
      ...(container.vitestConfig !== undefined && { vitestConfig: container.vitestConfig }),
      shardDir: folder.shardDir(shard.id),
      mounts: repoMountsOf(container, config, repoRoot, hostEnv),
      timeoutMs: config.tiers[shard.tier].timeoutMs,
      vitestArgs: withSliceWorkers(vitestArgs, shard.slices, cores),
      env: containerEnv(container.env, hostEnv),
      cpus: container.cpus ?? (sharesHostCores(container.host ?? hostEnv.DOCKER_HOST) ? share : undefined),
    }
  })
}

/**
 * A shard's share of the host when the container sets no `cpus`: cores / shards running at once (at most
 * --concurrency, at most the shards there are), in steps of 0.01, at least one core. A fork bomb or a runaway
 * test then slows its own shard, not the host and every other shard.
 */
export function defaultShardCpus(cores: number, concurrency: number, shardCount: number): number {
  const atOnce = Math.max(1, Math.min(concurrency, shardCount))
  return Math.max(1, Math.floor((cores / atOnce) * 100) / 100)
}

// The default is sized by this host's cores, so it applies where the engine runs on this Linux kernel: not on a
// remote engine (tcp://, ssh://) and not in Docker Desktop's VM (macOS, Windows, Desktop for Linux), whose core
// count may be lower (Docker refuses a limit above the engine's cores).
function sharesHostCores(engineUrl: string | undefined, platform = process.platform): boolean {
  if (platform !== 'linux') return false
  return engineUrl === undefined || engineUrl === '' || (engineUrl.startsWith('unix://') && !engineUrl.includes('/.docker/desktop/'))
}

/** The containers as the Docker runtime creates them: each with its shards' CPU limit. */
export function withShardCpus<T extends { cpus?: number }>(containers: Record<string, T>, specs: readonly ShardSpec[]): Record<string, T> {
  const out = { ...containers }
  for (const spec of specs)
    if (spec.cpus !== undefined && out[spec.container]) out[spec.container] = { ...out[spec.container]!, cpus: spec.cpus }
  return out
}

// Slices of one shard run at once: each Vitest gets its share of the cores (Vitest alone would take cores - 1
// workers in every slice), unless the user chose a number after `--`.
function withSliceWorkers(vitestArgs: string[], slices: number | undefined, cores: number): string[] {
  if (slices === undefined || vitestArgs.some((arg) => /^--max-?workers\b/i.test(arg))) return vitestArgs
  return [...vitestArgs, `--maxWorkers=${Math.max(1, Math.floor(cores / slices))}`]
}

// `NAME: 'value'` sets a value; `NAME: true` passes the host's value through when it has one.
export function containerEnv(env: Record<string, string | true>, hostEnv: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value !== true) out[name] = value
    else if (hostEnv[name] !== undefined) out[name] = hostEnv[name]!
  }
  return out
}

/** Read-only in CI unless the container says otherwise; declared writable folders resolved inside the repo. */
export function repoMountsOf(
  container: ContainerConfig,
  config: ResolvedConfig,
  repoRoot: string,
  hostEnv: NodeJS.ProcessEnv,
): ShardSpec['mounts'] {
  const readOnly = isRepoReadOnly(container, hostEnv)
  return {
    readOnly,
    writable: readOnly ? container.writable.map((dir) => writableFolder(config.root, repoRoot, dir)) : [],
    outputDir: path.resolve(config.root, config.outputDir),
  }
}

export function isRepoReadOnly(container: ContainerConfig, hostEnv: NodeJS.ProcessEnv): boolean {
  return container.repo === 'read-only' || (container.repo === 'auto' && isCI(hostEnv))
}

// A declared writable folder must stay inside the repo (after links) and is made if missing, so it can be mounted.
function writableFolder(root: string, repoRoot: string, dir: string): string {
  const wanted = path.resolve(root, dir)
  const real = resolveInside(repoRoot, wanted)
  if (real === null || real === fs.realpathSync(repoRoot)) {
    throw new ConfigError(
      `writable folder '${dir}' must lie inside the repository ${repoRoot} (and not be all of it)`,
      'XTEST_UNSAFE_WRITABLE',
    )
  }
  fs.mkdirSync(real, { recursive: true })
  return real
}

/** Per-test timeouts declared on the tier tags inside each shard. */
export function tierTagsOf(config: ResolvedConfig): TierTags {
  return {
    slow: { timeout: config.tiers.slow.testTimeoutMs },
    superslow: { timeout: config.tiers.superslow.testTimeoutMs },
  }
}
