// For `xtest plan --files`: would each (container, tier, file) come from the result cache, and if not, why (changed
// module X, new image, config changed, no entry)? Image ids are looked up without building anything: a `build`
// container's tag is its context hash, so an image not built yet is a new image.
import fs from 'node:fs'
import path from 'node:path'
import type { ResolvedConfig } from '../../config/resolve.js'
import { resultKey } from '../../core/result-key.js'
import type { Plan } from '../../plan/types.js'
import { baseImageIds, hashBuildContext, listBuildContext } from '../../runtimes/build-context.js'
import { selectRuntimes } from '../../runtimes/select.js'
import { findRepoRoot } from '../repo-root.js'
import { containerEnv, isRepoReadOnly } from '../shard-specs.js'
import { createResultCache } from './result-cache.js'

/** `<container>/<tier>/<file>` → `cached (run <id>)` or the reason it would run. */
export async function planCacheStatus(
  config: ResolvedConfig,
  plan: Plan,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Map<string, string>> {
  const status = new Map<string, string>()
  const cache = createResultCache({ config, repoRoot: findRepoRoot(config.root), reuse: true, env })
  if (!cache) return status
  const containers = [...new Set(plan.shards.map((shard) => shard.container))]
  const imageIds = await imageIdsOf(config, containers, env)
  for (const shard of plan.shards) {
    const container = config.containers[shard.container]!
    const cacheShard = {
      ...shard,
      env: containerEnv(container.env, env),
      mounts: { readOnly: isRepoReadOnly(container, env) },
      vitestArgs: [],
    }
    cache.verdicts(cacheShard, imageIds.get(shard.container)).forEach((verdict, i) => {
      status.set(
        resultKey(shard.container, shard.tier, shard.files[i]!),
        verdict.hit ? `cached (run ${verdict.entry.runId})` : verdict.reason,
      )
    })
  }
  return status
}

// The id each container's shards would run: `local`, the image's id, or undefined for an image not there yet.
async function imageIdsOf(config: ResolvedConfig, containers: string[], env: NodeJS.ProcessEnv): Promise<Map<string, string | undefined>> {
  const ids = new Map<string, string | undefined>()
  // As `xtest run --runtime auto` would choose, without refusing the host fallback in CI (nothing runs here).
  const selection = await selectRuntimes(config, containers, 'auto', { ...env, CI: '' }).catch(() => undefined)
  for (const name of containers) {
    const engine = selection?.engines[name]
    if (!engine || selection?.runtimeOf[name] === 'local') {
      ids.set(name, 'local')
      continue
    }
    const container = config.containers[name]!
    try {
      if (!container.build) {
        ids.set(name, (await engine.inspectImage(container.image!))?.Id)
        continue
      }
      const context = listBuildContext(config.root, container.build)
      const bases = await baseImageIds(engine, fs.readFileSync(path.join(context.dir, context.dockerfile), 'utf8'))
      ids.set(name, (await engine.inspectImage(`xtest-${name}:${hashBuildContext(context, container.build, bases)}`))?.Id)
    } catch {
      ids.set(name, undefined)
    }
  }
  return ids
}
