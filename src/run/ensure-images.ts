// Every Docker container of a run gets its image before any shard starts, so a build failure stops nothing midway.
import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import { XtestError } from '../core/errors.js'
import { withBuildDeadline } from '../runtimes/build-deadline.js'
import type { ImageRef } from '../runtimes/docker-image.js'
import type { RuntimeSelection } from '../runtimes/select.js'
import type { RunFolder } from '../store/run-folder.js'

export interface ImageSet {
  refs: Map<string, ImageRef>
  /** Containers whose image could not be had, with the one-line cause. Their shards become infra. */
  failures: Map<string, string>
}

/** Builds or finds the image of every Docker container of the run, one at a time (builds are heavy). */
export async function ensureImages(
  config: ResolvedConfig,
  selection: RuntimeSelection,
  folder: RunFolder,
  onNotice?: (line: string) => void,
  signal?: AbortSignal,
): Promise<ImageSet> {
  const set: ImageSet = { refs: new Map(), failures: new Map() }
  if (!Object.values(selection.runtimeOf).includes('docker')) return set
  const { ensureImage } = await import('../runtimes/docker-image.js')
  for (const [name, runtime] of Object.entries(selection.runtimeOf)) {
    // After Ctrl-C nothing more is built; the scheduler records every shard as interrupted.
    if (runtime !== 'docker' || signal?.aborted) continue
    try {
      const ref = await ensureImage(
        selection.engines[name]!,
        name,
        config.containers[name]!,
        config.root,
        path.join(folder.dir, `build-${name}.log`),
        withBuildDeadline(signal, config.limits.buildTimeoutMs),
      )
      if (ref.built) onNotice?.(`built image ${ref.image} for container ${name}`)
      set.refs.set(name, ref)
    } catch (error) {
      if (!(error instanceof XtestError)) throw error
      set.failures.set(name, error.message)
      if (!signal?.aborted) onNotice?.(`xtest: ${error.message}`)
    }
  }
  return set
}
