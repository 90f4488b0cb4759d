// The part of a result's key that all files of one (container, tier) share: what the shard runs on (image id, or
// Node and platform on the local runtime), xtest's and Vitest's versions, the container's xtest config and the Vitest
// config it loads, the env it gets, the tier's tag filter and Vitest arguments, the lockfile, and the files the
// config lists in `cache.inputs`. Each part is hashed on its own, so a miss can say which part changed.

import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import fg from 'fast-glob'
import type { ResolvedConfig } from '../../config/resolve.js'
import { fail, ok, type Result } from '../../core/result.js'
import type { Tier } from '../../core/tiers.js'
import { createImportReader, importClosure } from '../../plan/io/import-graph.js'
import { chooseVitestConfig } from '../../plan/vitest-config.js'
import { tierFilter } from '../../runtimes/vitest-command.js'
import { readPackageVersion } from '../../shared/package-root.js'
import type { BaseParts } from '../../store/result-store.js'
import { type RepoHasher, sha256 } from './file-hash.js'

export const PART_CHANGES: Record<keyof BaseParts, string> = {
  image: 'new image',
  versions: 'xtest or Vitest version changed',
  config: 'config changed',
  vitestConfig: 'Vitest config changed',
  env: 'env changed',
  args: 'tier filter or Vitest arguments changed',
  lockfile: 'lockfile changed',
  inputs: 'cache.inputs changed',
}

export interface BaseInput {
  config: ResolvedConfig
  container: string
  tier: Tier
  repoRoot: string
  /** The image id, or `local` for the local runtime (then Node's version and platform stand for it). */
  imageId: string
  /** The env the shard gets from the config, and whether it sees the repo read-only. */
  env: Record<string, string>
  readOnly: boolean
  vitestArgs: readonly string[]
}

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb']
const digest = (value: unknown): string => sha256(JSON.stringify(value)).slice(0, 32)
const repoRel = (repoRoot: string, file: string): string => path.relative(repoRoot, file).split(path.sep).join('/')

/** The parts, or the reason this (container, tier) cannot be cached (a lockfile or input that is a link, ...). */
export function computeBaseParts(input: BaseInput, hasher: RepoHasher): Result<BaseParts> {
  const { config, container: name, repoRoot } = input
  const container = config.containers[name]!
  const workdir = path.resolve(config.root, container.workdir)
  const files = (what: string, paths: string[]): Result<Array<[string, string]>> => {
    const hashes: Array<[string, string]> = []
    for (const rel of paths) {
      const found = hasher.hash(rel)
      if (!found.ok) return fail(`${what}: ${found.message}`)
      hashes.push([rel, found.value.hash])
    }
    return ok(hashes)
  }
  const vitestConfig = files('Vitest config', vitestConfigFiles(chooseVitestConfig(container, config.root, repoRoot, name), repoRoot))
  if (!vitestConfig.ok) return vitestConfig
  const lockfiles = files('lockfile', lockfilesOf(workdir, repoRoot))
  if (!lockfiles.ok) return lockfiles
  const inputs = files('cache.inputs', inputFiles(config, name, repoRoot))
  if (!inputs.ok) return inputs
  const { slices: _slices, cpus: _cpus, ...settings } = container
  const image = input.imageId === 'local' ? `local node ${process.version} ${process.platform} ${process.arch}` : input.imageId
  return ok({
    image: digest(image),
    versions: digest([readPackageVersion(import.meta.url), vitestVersion(workdir)]),
    config: digest({
      settings,
      testTimeouts: Object.values(config.tiers).map((tier) => tier.testTimeoutMs ?? null),
      root: repoRel(repoRoot, config.root),
    }),
    vitestConfig: digest(vitestConfig.value),
    env: digest({ env: Object.entries(input.env).sort(), readOnly: input.readOnly }),
    // Slices add --maxWorkers; the number of workers does not change a result.
    args: digest({ filter: tierFilter(input.tier), args: input.vitestArgs.filter((arg) => !/^--max-?workers\b/i.test(arg)) }),
    lockfile: digest(lockfiles.value),
    inputs: digest(inputs.value),
  })
}

function vitestVersion(workdir: string): string | null {
  try {
    const file = createRequire(path.join(workdir, 'noop.js')).resolve('vitest/package.json')
    return (createRequire(import.meta.url)(file) as { version: string }).version
  } catch {
    return null
  }
}

// The config file the shard's Vitest loads and the files it imports by relative path (the config is loaded by
// Vitest's main process, so the shard's module list never names them).
function vitestConfigFiles(file: string | null, repoRoot: string): string[] {
  if (file === null) return []
  return [...importClosure([repoRel(repoRoot, file)], createImportReader(repoRoot, new Set()), 500)].sort()
}

const exists = (file: string): boolean => {
  try {
    fs.lstatSync(file)
    return true
  } catch {
    return false
  }
}

function lockfilesOf(workdir: string, repoRoot: string): string[] {
  const found: string[] = []
  for (let dir = workdir; ; dir = path.dirname(dir)) {
    for (const name of LOCKFILES) if (exists(path.join(dir, name))) found.push(repoRel(repoRoot, path.join(dir, name)))
    if (path.relative(repoRoot, dir) === '' || path.dirname(dir) === dir) return found
  }
}

function inputFiles(config: ResolvedConfig, name: string, repoRoot: string): string[] {
  const cache = config.containers[name]!.cache
  if (cache === false || cache.inputs.length === 0) return []
  const matched = fg.sync(cache.inputs, {
    cwd: config.root,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    markDirectories: true,
  })
  return matched
    .filter((file) => !file.endsWith('/'))
    .map((file) => repoRel(repoRoot, path.join(config.root, file)))
    .sort()
}
