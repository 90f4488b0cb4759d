// For `--changed`: the inputs runs recorded for a test file, read from the result cache's entries (every container
// and tier that stored one), relative to the config root. A richer record of observed inputs plugs in here.
import path from 'node:path'
import type { ResolvedConfig } from '../../config/resolve.js'
import { TIERS } from '../../core/tiers.js'
import type { PlanRequest } from '../../plan/request.js'
import { findRepoRoot } from '../repo-root.js'
import { createResultCache } from './result-cache.js'

/** A reader of recorded inputs, or undefined when there is no cache to read (XTEST_CACHE=off, nowhere to live). */
function recordedInputsOf(
  config: ResolvedConfig,
  env: NodeJS.ProcessEnv = process.env,
): ((file: string) => string[] | undefined) | undefined {
  const repoRoot = findRepoRoot(config.root)
  const cache = createResultCache({ config, repoRoot, reuse: true, env })
  if (!cache) return undefined
  const toRoot = (rel: string) => path.relative(config.root, path.join(repoRoot, rel)).split(path.sep).join('/')
  return (file) => {
    const found = new Set<string>()
    let any = false
    for (const container of Object.keys(config.containers))
      for (const tier of TIERS) {
        for (const entry of cache.store.entriesOf(cache.address({ container, tier }, file))) {
          any = true
          for (const rel of Object.keys(entry.modules)) found.add(toRoot(rel))
        }
      }
    return any ? [...found].sort() : undefined
  }
}

/** The request with the reader `--changed` uses; unchanged without --changed. */
export function withRecordedInputs<T extends PlanRequest>(request: T): T {
  if (request.changed === undefined || request.recordedInputs) return request
  const reader = recordedInputsOf(request.config)
  return reader ? { ...request, recordedInputs: reader } : request
}
