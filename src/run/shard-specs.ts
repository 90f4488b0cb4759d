import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import type { Shard } from '../plan/types.js'
import type { ShardSpec } from '../runtimes/runtime.js'
import type { TierTags } from '../runtimes/shard-timer.js'
import type { RunFolder } from './run-folder.js'

/** Plan shards → runtime specs: paths, timeouts and the environment the config asks for. */
export function toShardSpecs(shards: Shard[], config: ResolvedConfig, folder: RunFolder, repoRoot: string, vitestArgs: string[], hostEnv: NodeJS.ProcessEnv): ShardSpec[] {
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
      shardDir: folder.shardDir(shard.id),
      timeoutMs: config.tiers[shard.tier].timeoutMs,
      vitestArgs,
      env: containerEnv(container.env, hostEnv),
    }
  })
}

// `NAME: 'value'` sets a value; `NAME: true` passes the host's value through when it has one.
function containerEnv(env: Record<string, string | true>, hostEnv: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value !== true) out[name] = value
    else if (hostEnv[name] !== undefined) out[name] = hostEnv[name]!
  }
  return out
}

/** Per-test timeouts declared on the tier tags inside each shard. */
export function tierTagsOf(config: ResolvedConfig): TierTags {
  return {
    slow: { timeout: config.tiers.slow.testTimeoutMs },
    superslow: { timeout: config.tiers.superslow.testTimeoutMs },
  }
}

export function relativeToCwd(p: string): string {
  return path.relative(process.cwd(), p) || '.'
}
