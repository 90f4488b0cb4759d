// Plan shards to ShardSpecs: everything a runtime needs (mounts, env, limits, cpus) decided before anything starts.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fg from 'fast-glob'
import type { ResolvedConfig } from '../config/resolve.js'
import type { ContainerConfig } from '../config/schema.js'
import { ConfigError } from '../core/errors.js'
import type { ShardSpec } from '../core/shard.js'
import { TIER_TAGS } from '../core/tiers.js'
import { createImportReader, importClosure } from '../plan/io/import-graph.js'
import type { Shard } from '../plan/types.js'
import type { TierTags } from '../runtimes/shard-timer.js'
import { resolveInside } from '../store/files.js'
import type { RunFolder } from '../store/run-folder.js'

/**
 * Plan shards → runtime specs: paths, timeouts, the environment the config asks for, and a CPU limit (the
 * container's `cpus`, else the shard's share of the cores at this concurrency).
 */
export function toShardSpecs(
  shards: Shard[],
  config: ResolvedConfig,
  folder: RunFolder,
  repoRoot: string,
  vitestArgs: string[],
  hostEnv: NodeJS.ProcessEnv,
  concurrency = Infinity,
  cores = os.availableParallelism(),
): ShardSpec[] {
  const share = defaultShardCpus(cores, concurrency, shards.length)
  return shards.map((shard) => {
    const container = config.containers[shard.container]!
    return {
      runId: folder.runId,
      id: shard.id,
      container: shard.container,
      tier: shard.tier,
      slice: shard.slice,
      files: shard.files,
      root: config.root,
      repoRoot,
      workdir: container.workdir,
      ...(container.vitestConfig !== undefined && { vitestConfig: container.vitestConfig }),
      shardDir: folder.shardDir(shard.id),
      mounts: repoMountsOf(container, config, repoRoot, hostEnv, { vitestArgs, files: shard.files }),
      timeoutMs: config.tiers[shard.tier].timeoutMs,
      vitestArgs: withSliceWorkers(vitestArgs, shard.slices, cores),
      env: containerEnv(container.env, hostEnv),
      outputLimitBytes: config.limits.shardOutputBytes,
      cpus: container.cpus ?? (sharesHostCores(container.host ?? hostEnv.DOCKER_HOST) ? share : undefined),
    }
  })
}

/**
 * A shard's share of the host when the container sets no `cpus`: all but one core, divided among the shards running
 * at once (at most --concurrency, at most the shards there are), in steps of 0.01, at least one core. A fork bomb
 * or a runaway test then slows its own shard, never the host's last core nor every other shard.
 */
export function defaultShardCpus(cores: number, concurrency: number, shardCount: number): number {
  const atOnce = Math.max(1, Math.min(concurrency, shardCount))
  return Math.max(1, Math.floor(((cores - 1) / atOnce) * 100) / 100)
}

// The default is sized by this host's cores, so it applies where the engine runs on this Linux kernel: not on a
// remote engine (tcp://, ssh://) and not in Docker Desktop's VM (macOS, Windows, Desktop for Linux), whose core
// count may be lower (Docker refuses a limit above the engine's cores).
function sharesHostCores(engineUrl: string | undefined, platform = process.platform): boolean {
  if (platform !== 'linux') return false
  return engineUrl === undefined || engineUrl === '' || (engineUrl.startsWith('unix://') && !engineUrl.includes('/.docker/desktop/'))
}

/** The containers as the Docker runtime creates them: each with its shards' CPU limit. */
export function withShardCpus<T extends { cpus?: number }>(containers: Record<string, T>, specs: readonly ShardSpec[]): Record<string, T> {
  const out = { ...containers }
  for (const spec of specs)
    if (spec.cpus !== undefined && out[spec.container]) out[spec.container] = { ...out[spec.container]!, cpus: spec.cpus }
  return out
}

// Slices of one shard run at once: each Vitest gets its share of the cores (Vitest alone would take cores - 1
// workers in every slice), unless the user chose a number after `--`.
function withSliceWorkers(vitestArgs: string[], slices: number | undefined, cores: number): string[] {
  if (slices === undefined || vitestArgs.some((arg) => /^--max-?workers\b/i.test(arg))) return vitestArgs
  return [...vitestArgs, `--maxWorkers=${Math.max(1, Math.floor(cores / slices))}`]
}

// `NAME: 'value'` sets a value; `NAME: true` passes the host's value through when it has one.
export function containerEnv(env: Record<string, string | true>, hostEnv: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value !== true) out[name] = value
    else if (hostEnv[name] !== undefined) out[name] = hostEnv[name]!
  }
  return out
}

/**
 * Read-only unless the container says `repo: 'writable'`; the declared writable folders (paths or globs) resolved
 * inside the repo; when Vitest updates snapshots (`-u`), the snapshot folders of the shard's files too.
 */
export function repoMountsOf(
  container: ContainerConfig,
  config: ResolvedConfig,
  repoRoot: string,
  hostEnv: NodeJS.ProcessEnv,
  shard: { vitestArgs?: readonly string[]; files?: readonly string[] } = {},
): ShardSpec['mounts'] {
  const readOnly = isRepoReadOnly(container, hostEnv)
  const workdir = path.resolve(config.root, container.workdir)
  const writable = readOnly ? container.writable.flatMap((entry) => writableFolders(config.root, repoRoot, entry)) : []
  if (readOnly && updatesSnapshots(shard.vitestArgs ?? []))
    for (const file of shard.files ?? [])
      writable.push(writableFolder(config.root, repoRoot, path.join(path.dirname(file), '__snapshots__')))
  // Vitest 5 writes its reporters' files under `.vitest/` of the working directory: a scratch folder of the shard's.
  // Its mount point must exist (the repo is read-only inside); where xtest cannot make it, Vitest writes nothing there.
  const scratch = path.join(workdir, '.vitest')
  const hasScratch = readOnly && makeFolder(scratch)
  return {
    readOnly,
    writable: [...new Set(writable)],
    outputDir: path.resolve(config.root, config.outputDir),
    protect: protectedPaths(config, repoRoot),
    scratch: hasScratch ? [scratch] : [],
  }
}

function makeFolder(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true })
    return fs.lstatSync(dir).isDirectory()
  } catch {
    return false
  }
}

/** `repo: 'writable'` is the only way to a writable repository; 'auto' and 'read-only' mean read-only. */
export function isRepoReadOnly(container: ContainerConfig, _hostEnv?: NodeJS.ProcessEnv): boolean {
  return container.repo !== 'writable'
}

/** Whether Vitest's arguments ask it to update snapshots (`-u`, `--update`, `--update=…` other than false). */
export function updatesSnapshots(vitestArgs: readonly string[]): boolean {
  return vitestArgs.some((arg) => arg === '-u' || arg === '--update' || (/^--update=/.test(arg) && !/^--update=(false|none)$/.test(arg)))
}

// The xtest config and the files it imports (relative imports, transitively), and git's hooks folder when
// core.hooksPath moves it out of .git: code the host runs, never writable by a shard.
function protectedPaths(config: ResolvedConfig, repoRoot: string): string[] {
  const out: string[] = []
  if (config.configPath) {
    const read = createImportReader(repoRoot, new Set())
    // Only what is inside the repository (a shard cannot write outside it anyway).
    const inside = (file: string) => !file.startsWith('..')
    const start = path.relative(repoRoot, config.configPath).split(path.sep).join('/')
    const files = inside(start) ? importClosure([start], (file) => read(file).filter(inside), 1000) : []
    for (const file of files) out.push(path.join(repoRoot, file))
  }
  const hooks = gitHooksPath(repoRoot)
  if (hooks) out.push(hooks)
  return out
}

function gitHooksPath(repoRoot: string): string | undefined {
  try {
    const value = execFileSync('git', ['-c', 'safe.directory=*', '-C', repoRoot, 'config', '--get', 'core.hooksPath'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 30_000,
    }).trim()
    return value ? path.resolve(repoRoot, value) : undefined
  } catch {
    return undefined
  }
}

// A `writable` entry: a folder (made if missing), or a glob of existing folders (`**/__snapshots__`).
function writableFolders(root: string, repoRoot: string, entry: string): string[] {
  if (!fg.isDynamicPattern(entry)) return [writableFolder(root, repoRoot, entry)]
  const dirs = fg.sync(entry, {
    cwd: root,
    onlyDirectories: true,
    dot: true,
    followSymbolicLinks: false,
    ignore: ['**/node_modules/**', '**/.git/**'],
  })
  return dirs.map((dir) => writableFolder(root, repoRoot, dir))
}

// A declared writable folder must stay inside the repo (after links) and is made if missing, so it can be mounted.
function writableFolder(root: string, repoRoot: string, dir: string): string {
  const wanted = path.resolve(root, dir)
  const real = resolveInside(repoRoot, wanted)
  if (real === null || real === fs.realpathSync(repoRoot)) {
    throw new ConfigError(
      `writable folder '${dir}' must lie inside the repository ${repoRoot} (and not be all of it)`,
      'XTEST_UNSAFE_WRITABLE',
    )
  }
  fs.mkdirSync(real, { recursive: true })
  return real
}

/** Per-test timeouts declared on the tier tags inside each shard. */
export function tierTagsOf(config: ResolvedConfig): TierTags {
  return Object.fromEntries(TIER_TAGS.map((tag) => [tag, { timeout: config.tiers[tag].testTimeoutMs }]))
}
