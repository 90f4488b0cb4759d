// What `xtest build` and `xtest clean` do, and the sweep after a second Ctrl-C: the engine work behind the
// commands, so that cli/ reaches the runtimes only through run/.
import type { ResolvedConfig } from '../config/resolve.js'
import { withBuildDeadline } from '../runtimes/build-deadline.js'
import { ensureImage } from '../runtimes/docker-image.js'
import { reapLocalShards, removeLeftoverContainers } from '../runtimes/leftovers.js'
import { selectRuntimes } from '../runtimes/select.js'
import { removeOrphanExchanges } from '../runtimes/shard-exchange.js'
import { pidAlive } from '../shared/pid-alive.js'
import { buildLogPath } from '../store/run-folder.js'
import { findRepoRoot } from './repo-root.js'

export interface BuiltImage {
  name: string
  image: string
  imageId: string
  built: boolean
  bases: string[]
}

/** Builds (or finds up to date) the images of `names`, each container with a `build` (and with `image` too). */
export async function buildImages(config: ResolvedConfig, names: readonly string[], withImages = false): Promise<BuiltImage[]> {
  const selected = names.filter((name) => config.containers[name]!.build || (withImages && config.containers[name]!.image))
  const selection = await selectRuntimes(config, selected, 'docker')
  const built: BuiltImage[] = []
  for (const name of selected) {
    const ref = await ensureImage(
      selection.engines[name]!,
      name,
      config.containers[name]!,
      config.root,
      buildLogPath(config, name),
      withBuildDeadline(undefined, config.limits.buildTimeoutMs),
    )
    built.push({ name, image: ref.image, imageId: ref.imageId, built: ref.built, bases: ref.bases ?? [] })
  }
  return built
}

/** Kills the local shards of runs whose owner is gone (all of them with `all`); returns how many processes. */
export const killLocalShards = (all: boolean): number => reapLocalShards({ all }).length

/**
 * Removes the containers of this repository's runs whose owner is proven dead (every xtest container with `all`)
 * and the exchange folders of gone runs.
 */
export async function removeLeftovers(all: boolean, dir = process.cwd()): Promise<{ removedContainers: number; removedFolders: number }> {
  const removed = await removeLeftoverContainers(all ? { all: true } : { repoRoot: findRepoRoot(dir) })
  return { removedContainers: removed.length, removedFolders: removeOrphanExchanges(pidAlive) }
}

export { removeRunContainers } from '../runtimes/leftovers.js'
