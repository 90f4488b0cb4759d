import dockerignoreModule from '@balena/dockerignore'
import fg from 'fast-glob'
import tar from 'tar-fs'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { ContainerConfig } from '../config/schema.js'
import { InfraError } from '../shared/errors.js'
import type { EngineClient } from './engine-client.js'

// The package is CommonJS with an ESM-style default in its types.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default

export interface ImageRef {
  /** The tag the shard runs. */
  image: string
  /** The engine's image id (sha256:...). */
  imageId: string
  built: boolean
}

interface BuildContext { dir: string; dockerfile: string; files: string[] }

/** The build context's file list, honouring .dockerignore as Docker does. */
export function listBuildContext(root: string, build: NonNullable<ContainerConfig['build']>): BuildContext {
  const dir = path.resolve(root, build.context)
  const dockerfilePath = path.resolve(root, build.dockerfile ?? path.join(build.context, 'Dockerfile'))
  const dockerfile = path.relative(dir, dockerfilePath).split(path.sep).join('/')
  if (dockerfile.startsWith('../')) throw new InfraError(`dockerfile ${build.dockerfile} is outside the build context ${build.context}`, 'XTEST_BUILD_CONTEXT')
  const ignoreFile = path.join(dir, '.dockerignore')
  const ignore = dockerignore().add(fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, 'utf8') : '')
  const all = fg.sync('**', { cwd: dir, dot: true, onlyFiles: true, followSymbolicLinks: false })
  const files = ignore.filter(all).filter((f: string) => f !== dockerfile && f !== '.dockerignore').sort()
  return { dir, dockerfile, files: [...files, dockerfile, ...(fs.existsSync(ignoreFile) ? ['.dockerignore'] : [])] }
}

/** A hash of everything that goes into the build: files (names and bytes), Dockerfile, args, target. */
export function hashBuildContext(context: BuildContext, build: NonNullable<ContainerConfig['build']>, bases: string[] = []): string {
  const hash = crypto.createHash('sha256')
  hash.update(JSON.stringify({ dockerfile: context.dockerfile, args: build.args, target: build.target ?? null, bases }))
  for (const file of context.files) {
    hash.update(`\0${file}\0`)
    hash.update(fs.readFileSync(path.join(context.dir, file)))
  }
  return hash.digest('hex').slice(0, 16)
}

/** `FROM` images of a Dockerfile (not its own stages), each as `name@id` (or `name@missing`). */
export async function baseImageIds(engine: EngineClient, dockerfile: string): Promise<string[]> {
  const stages = new Set<string>()
  const bases: string[] = []
  for (const match of dockerfile.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    const image = match[1]!
    if (!stages.has(image.toLowerCase()) && image !== 'scratch') {
      const info = await engine.inspectImage(image)
      bases.push(`${image}@${info?.Id ?? 'missing'}`)
    }
    if (match[2]) stages.add(match[2].toLowerCase())
  }
  return bases
}

/** Makes sure the container's image is there: builds it when its context hash is new, never rebuilds otherwise. */
export async function ensureImage(engine: EngineClient, name: string, container: ContainerConfig, root: string, logFile: string): Promise<ImageRef> {
  try {
    return await findOrBuildImage(engine, name, container, root, logFile)
  } catch (error) {
    if (error instanceof InfraError) throw error
    throw new InfraError(`container ${name}: ${engine.endpoint}: ${error instanceof Error ? error.message : String(error)}`, 'XTEST_ENGINE')
  }
}

async function findOrBuildImage(engine: EngineClient, name: string, container: ContainerConfig, root: string, logFile: string): Promise<ImageRef> {
  if (!container.build) {
    const image = container.image!
    const info = await engine.inspectImage(image)
    if (!info) throw new InfraError(`container ${name}: image '${image}' is missing on the engine (xtest does not pull; build or load it first)`, 'XTEST_IMAGE_MISSING')
    return { image, imageId: info.Id, built: false }
  }
  const context = listBuildContext(root, container.build)
  // The base images' ids are part of the hash: a rebuilt base makes a new image, never a stale one.
  const bases = await baseImageIds(engine, fs.readFileSync(path.join(context.dir, context.dockerfile), 'utf8'))
  const tag = `xtest-${name}:${hashBuildContext(context, container.build, bases)}`
  const existing = await engine.inspectImage(tag)
  if (existing) return { image: tag, imageId: existing.Id, built: false }
  await buildImage(engine, name, context, container.build, tag, logFile)
  if (container.image) {
    const [repo, version = 'latest'] = container.image.split(':') as [string, string?]
    await engine.tagImage(tag, repo, version)
  }
  const info = await engine.inspectImage(tag)
  if (!info) throw new InfraError(`container ${name}: the engine built ${tag} but does not know it`, 'XTEST_BUILD_FAILED')
  return { image: tag, imageId: info.Id, built: true }
}

async function buildImage(engine: EngineClient, name: string, context: BuildContext, build: NonNullable<ContainerConfig['build']>, tag: string, logFile: string): Promise<void> {
  const log = fs.createWriteStream(logFile, { flags: 'a' })
  let lastStep = ''
  let failure: string | undefined
  try {
    // The context is packed here, with exactly the files .dockerignore lets through (and the Dockerfile).
    const packed = tar.pack(context.dir, { entries: context.files }) as unknown as NodeJS.ReadableStream
    await engine.buildImage(packed, { tag, dockerfile: context.dockerfile, args: build.args, target: build.target, labels: { 'xtest.container': name } }, (event) => {
      if (event.stream) {
        log.write(event.stream)
        const step = event.stream.match(/^Step \d+\/\d+ : .*/m) ?? event.stream.match(/^STEP \d+\/\d+: .*/m)
        if (step) lastStep = step[0].trim()
      }
      if (event.error) { failure = event.errorDetail?.message ?? event.error; log.write(`ERROR: ${failure}\n`) }
    })
  } catch (error) {
    failure ??= error instanceof Error ? error.message : String(error)
  } finally {
    log.end()
  }
  if (failure) {
    const at = lastStep ? ` at '${lastStep}'` : ''
    throw new InfraError(`container ${name}: image build failed${at}: ${failure.trim().split('\n')[0]} (log: ${logFile})`, 'XTEST_BUILD_FAILED')
  }
}
