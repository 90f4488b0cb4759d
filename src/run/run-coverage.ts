// A run's coverage after its shards: each shard's raw coverage from its run folder, with where that shard saw the
// repository, merged into <outputDir>/coverage/ (report/coverage/). The finish stage calls it once.
import fs from 'node:fs'
import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import type { MergedCoverage } from '../report/coverage/merge-coverage.js'
import { REPO_MOUNT } from '../runtimes/repo-mounts.js'
import type { RunResult } from './run-plan.js'
import { findRepoRoot } from './repo-root.js'
import { isFsError, noteWriteFault } from '../shared/write-faults.js'

function realpath(dir: string): string {
  try {
    return fs.realpathSync(dir)
  } catch {
    return dir
  }
}

export async function runCoverage(
  config: ResolvedConfig,
  result: RunResult,
  warn: (line: string) => void,
): Promise<MergedCoverage | undefined> {
  const specs = new Map(result.specs.map((spec) => [spec.id, spec]))
  const shards = result.outcomes.flatMap((outcome) => {
    const spec = specs.get(outcome.id)
    if (!spec) return []
    // A local shard's Node names files by their real path (a symlinked /tmp, a linked checkout).
    const shardRoot = outcome.runtime === 'docker' ? REPO_MOUNT : realpath(spec.repoRoot)
    return [{ container: outcome.container, tier: outcome.tier, dir: spec.shardDir, shardRoot }]
  })
  const repoRoot = result.specs[0]?.repoRoot ?? config.root
  // Istanbul's libraries load only for a run with coverage.
  const { mergeCoverage } = await import('../report/coverage/merge-coverage.js')
  const outDir = path.join(config.root, config.outputDir, 'coverage')
  const merged = await mergeCoverage({ shards, repoRoot, projectRoot: config.root, outDir, warn }).catch((error: unknown) => {
    // A disk that refuses the report costs the run exit 3 (shared/write-faults.ts), never the JUnit already written.
    if (!isFsError(error)) throw error
    noteWriteFault(outDir, error)
    return null
  })
  if (merged === null) return undefined
  if (!merged) warn('coverage: no shard wrote coverage (is @vitest/coverage-v8 or -istanbul installed where the tests run?)')
  return merged
}

/**
 * `xtest merge --coverage [GLOB]`: the xtest-coverage.json files CI parts uploaded (default: every one below the
 * current folder, outside node_modules and dot folders), merged into `outDir` like one run's.
 */
export async function partsCoverage(
  glob: string | true,
  outDir: string,
  projectRoot: string,
  warn: (line: string) => void,
): Promise<MergedCoverage | undefined> {
  const { default: fg } = await import('fast-glob')
  const { mergeCoverage, RAW_COVERAGE_FILE } = await import('../report/coverage/merge-coverage.js')
  const pattern = glob === true ? `**/${RAW_COVERAGE_FILE}` : glob
  const parts = (await fg(pattern, { ignore: ['**/node_modules/**'], onlyFiles: true, absolute: true })).sort()
  if (parts.length === 0) {
    warn(`coverage: no file matches ${pattern} (upload each part's <outputDir>/coverage/${RAW_COVERAGE_FILE})`)
    return undefined
  }
  const merged = await mergeCoverage({ parts, repoRoot: findRepoRoot(projectRoot), projectRoot, outDir, warn })
  if (!merged) warn(`coverage: none of the ${parts.length} file(s) matching ${pattern} holds coverage`)
  return merged
}
