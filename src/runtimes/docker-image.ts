// A container's image: found by its context hash or built once, so runs reuse images without a registry.
import fs from 'node:fs'
import path from 'node:path'
import type { ContainerConfig } from '../config/schema.js'
import { InfraError } from '../core/errors.js'
import { baseImageIds, hashBuildContext, listBuildContext } from './build-context.js'
import type { EngineClient } from './engine-client.js'
import { parseImageName } from './image-name.js'

export interface ImageRef {
  /** The tag the shard runs. */
  image: string
  /** The engine's image id (sha256:...). */
  imageId: string
  built: boolean
  /** The FROM images it was built on that the engine has: what another machine needs to find it up to date. */
  bases?: string[]
}

/** Makes sure the container's image is there: builds it when its context hash is new, never rebuilds otherwise. */
export async function ensureImage(...args: Parameters<typeof findOrBuildImage>): Promise<ImageRef> {
  const [engine, name] = args
  try {
    return await findOrBuildImage(...args)
  } catch (error) {
    if (error instanceof InfraError) throw error
    throw new InfraError(`container ${name}: ${engine.endpoint}: ${error instanceof Error ? error.message : String(error)}`, 'XTEST_ENGINE')
  }
}

async function findOrBuildImage(
  engine: EngineClient,
  name: string,
  container: ContainerConfig,
  root: string,
  logFile: string,
  signal?: AbortSignal,
): Promise<ImageRef> {
  if (!container.build) {
    const image = container.image!
    const info = await engine.inspectImage(image)
    if (!info)
      throw new InfraError(
        `container ${name}: image '${image}' is not on the engine; xtest never pulls: run docker pull ${image}, or give the container a build: that makes it`,
        'XTEST_IMAGE_MISSING',
      )
    return { image, imageId: info.Id, built: false }
  }
  const context = listBuildContext(root, container.build)
  // The base images' ids are part of the hash: a rebuilt base makes a new image, never a stale one.
  const bases = await baseImageIds(engine, fs.readFileSync(path.join(context.dir, context.dockerfile), 'utf8'))
  const tag = `xtest-${name}:${hashBuildContext(context, container.build, bases)}`
  const present = bases.filter((base) => !base.endsWith('@missing')).map((base) => base.slice(0, base.lastIndexOf('@')))
  // A FROM image the engine does not have (yet) is whatever the build finds or pulls: no earlier image of the same
  // hash can be trusted to be built on it, so it is built again (the engine's layer cache keeps that quick).
  const existing = present.length === bases.length ? await engine.inspectImage(tag) : null
  if (existing) return { image: tag, imageId: existing.Id, built: false, bases: present }
  // tar-fs loads only when something is built.
  const { buildImage } = await import('./image-build.js')
  await buildImage(engine, name, context, container.build, tag, logFile, signal)
  // A digest names one exact image, which a build cannot produce: only a tag is put on the built image.
  const wanted = container.image ? parseImageName(container.image) : null
  if (wanted?.tag) await engine.tagImage(tag, wanted.repo, wanted.tag)
  const info = await engine.inspectImage(tag)
  if (!info) throw new InfraError(`container ${name}: the engine built ${tag} but does not know it`, 'XTEST_BUILD_FAILED')
  return { image: tag, imageId: info.Id, built: true, bases: present }
}
