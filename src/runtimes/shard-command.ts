// The Vitest command line and XTEST_* environment of a shard, the same for both runtimes.
import { createRequire } from 'node:module'
import path from 'node:path'
import { ConfigError } from '../core/errors.js'
import { writeFreshFile } from '../core/safe-fs.js'
import type { ShardSpec } from '../core/shard.js'
import { chooseVitestConfig } from '../plan/vitest-config.js'
import { findPackageRoot } from '../shared/package-root.js'
import { chooseConfigLoader, vitestArgv, writeWrapperConfig } from './vitest-command.js'

/** xtest's own package folder (holding dist/): the plugin and reporter are loaded from here. */
export const XTEST_PACKAGE_ROOT = findPackageRoot(import.meta.url)

export interface ShardView {
  /** Maps a host path to the path the shard process sees (identity locally, /app/... in Docker). */
  toShard(hostPath: string): string
  /** Where xtest's package folder is as the shard sees it. */
  xtestRoot: string
  image?: string
  imageId?: string
  /** Modules the image promises (only where an image exists to keep the promise). */
  provides: string[]
}

export interface ShardCommand {
  /** argv after `node`. */
  argv: string[]
  /** Working directory as the shard sees it. */
  cwd: string
  env: Record<string, string>
}

/**
 * Writes files.json and the wrapper Vitest config into the exchange folder's `in/`; returns what to execute. The
 * shard reports into `out/` (XTEST_SHARD_DIR), never into the run folder.
 */
export function prepareShardCommand(
  spec: ShardSpec,
  view: ShardView,
  tierTags: Record<string, { timeout?: number }>,
  exchange: { inDir: string; outDir: string },
): ShardCommand {
  const hostCwd = path.resolve(spec.root, spec.workdir)
  const files = spec.files.map((file) => {
    const rel = path.posix.relative(toPosix(spec.workdir), file)
    if (rel.startsWith('../'))
      throw new ConfigError(`${file}: outside container ${spec.container}'s workdir '${spec.workdir}'`, 'XTEST_FILE_OUTSIDE_WORKDIR')
    return rel
  })
  const filesPath = path.join(exchange.inDir, 'files.json')
  writeFreshFile(filesPath, `${JSON.stringify(files, null, 2)}\n`)
  // The container's vitestConfig, else the installed Vitest's rule (Vitest 5 does not look in parent folders).
  const userConfig = chooseVitestConfig(spec, spec.root, spec.repoRoot, spec.container)
  // In out/ (the shard's own, writable): Vite's bundle loader writes a temp file into node_modules/ beside it.
  const wrapperPath = path.join(exchange.outDir, 'vitest.config.mjs')
  writeWrapperConfig(wrapperPath, {
    userConfigPath: userConfig ? view.toShard(userConfig) : null,
    pluginPath: path.posix.join(view.xtestRoot, 'dist/vitest/index.js'),
    ...(spec.coverage && { coverageDir: view.toShard(exchange.outDir) }),
  })
  const argv = vitestArgv({
    vitestEntry: view.toShard(findVitestEntry(hostCwd, spec.container)),
    wrapperPath: view.toShard(wrapperPath),
    configLoader: chooseConfigLoader(userConfig),
    tier: spec.tier,
    userArgs: spec.vitestArgs,
  })
  const env: Record<string, string> = {
    ...spec.env,
    XTEST_RUN_ID: spec.runId,
    XTEST_CONTAINER: spec.container,
    XTEST_TIER: spec.tier,
    XTEST_SHARD: spec.id,
    XTEST_IMAGE: view.image ?? '',
    XTEST_IMAGE_ID: view.imageId ?? '',
    XTEST_SHARD_DIR: view.toShard(exchange.outDir),
    XTEST_FILES: view.toShard(filesPath),
    XTEST_PROVIDES: view.provides.join(','),
    XTEST_TIER_TAGS: JSON.stringify(tierTags),
  }
  return { argv, cwd: view.toShard(hostCwd), env }
}

/** The project's own Vitest, as Node would resolve it from the working directory. */
function findVitestEntry(cwd: string, container: string): string {
  try {
    const pkg = createRequire(path.join(cwd, 'noop.js')).resolve('vitest/package.json')
    return path.join(path.dirname(pkg), 'vitest.mjs')
  } catch {
    throw new ConfigError(`vitest is not installed for ${cwd} (container ${container}): run npm install -D vitest`, 'XTEST_VITEST_MISSING')
  }
}

function toPosix(p: string): string {
  return p
    .split(path.sep)
    .join('/')
    .replace(/^\.\/?$/, '.')
}
