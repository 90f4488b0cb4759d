// The build context as Docker sees it (.dockerignore honoured) and its hash, so an image is rebuilt only on change.

import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import fg from 'fast-glob'
import type { ContainerConfig } from '../config/schema.js'
import { InfraError } from '../core/errors.js'
import { DOCKERIGNORE, readDockerignore } from '../shared/dockerignore.js'
import type { EngineClient } from './engine-client.js'

export interface BuildContext {
  dir: string
  dockerfile: string
  files: string[]
}

/** The build context's file list, honouring .dockerignore as Docker does. */
export function listBuildContext(root: string, build: NonNullable<ContainerConfig['build']>): BuildContext {
  const dir = path.resolve(root, build.context)
  const dockerfilePath = path.resolve(root, build.dockerfile ?? path.join(build.context, 'Dockerfile'))
  const dockerfile = path.relative(dir, dockerfilePath).split(path.sep).join('/')
  if (dockerfile.startsWith('../'))
    throw new InfraError(`dockerfile ${build.dockerfile} is outside the build context ${build.context}`, 'XTEST_BUILD_CONTEXT')
  const ignore = readDockerignore(dir)
  const all = fg.sync('**', { cwd: dir, dot: true, onlyFiles: true, followSymbolicLinks: false })
  const files = all.filter((f) => f !== dockerfile && f !== DOCKERIGNORE && ignore.sends(f)).sort()
  return { dir, dockerfile, files: [...files, dockerfile, ...(ignore.present ? [DOCKERIGNORE] : [])] }
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
