// Where a run's coverage comes from, for the finish stage's coverage step: each shard's raw coverage in its run
// folder, with where that shard saw the repository (the container's mount, or the host's real path).
import fs from 'node:fs'
import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import type { FinishRequest } from '../finish/request.js'
import { REPO_MOUNT } from '../runtimes/repo-mounts.js'
import { findRepoRoot } from './repo-root.js'
import type { RunResult } from './run-plan.js'

function realpath(dir: string): string {
  try {
    return fs.realpathSync(dir)
  } catch {
    return dir
  }
}

export function runCoverage(config: ResolvedConfig, result: RunResult): NonNullable<FinishRequest['coverage']> {
  const specs = new Map(result.specs.map((spec) => [spec.id, spec]))
  const shards = result.outcomes.flatMap((outcome) => {
    const spec = specs.get(outcome.id)
    if (!spec) return []
    // A local shard's Node names files by their real path (a symlinked /tmp, a linked checkout).
    const shardRoot = outcome.runtime === 'docker' ? REPO_MOUNT : realpath(spec.repoRoot)
    return [{ container: outcome.container, tier: outcome.tier, dir: spec.shardDir, shardRoot }]
  })
  const repoRoot = result.specs[0]?.repoRoot ?? config.root
  return { outDir: path.join(config.root, config.outputDir, 'coverage'), repoRoot, projectRoot: config.root, from: shards }
}

/** `xtest merge --coverage [GLOB]`: the parts' uploads (default: every xtest-coverage.json below here), into `outDir`. */
export function partsCoverage(glob: string | true, outDir: string, projectRoot: string): NonNullable<FinishRequest['coverage']> {
  return { outDir, repoRoot: findRepoRoot(projectRoot), projectRoot, from: { parts: glob } }
}
