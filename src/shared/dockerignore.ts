// Which files of a build context Docker sends decides both the image's hash (runtimes/build-context) and
// whether a change reruns a container's tests (--changed): one reader, so that the two always agree.

import fs from 'node:fs'
import path from 'node:path'
import dockerignoreModule from '@balena/dockerignore'

// The package is CommonJS with an ESM-style default in its types.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default

export const DOCKERIGNORE = '.dockerignore'

export interface ContextFilter {
  /** The context has a .dockerignore file. */
  present: boolean
  /** Docker sends this context-relative POSIX path; the .dockerignore itself always (Docker reads it). */
  sends(file: string): boolean
}

/** Reads `dir/.dockerignore` (none, or unreadable: every file is sent) with Docker's matching rules. */
export function readDockerignore(dir: string): ContextFilter {
  let text: string | undefined
  try {
    text = fs.readFileSync(path.join(dir, DOCKERIGNORE), 'utf8')
  } catch {
    /* none */
  }
  const filter = dockerignore()
    .add(text ?? '')
    .createFilter()
  return { present: text !== undefined, sends: (file) => file === DOCKERIGNORE || filter(file) }
}
