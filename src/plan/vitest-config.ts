// Which Vitest config a shard will load, decided while planning: `xtest plan` warns when Vitest 5 would miss a
// config that Vitest 4 found in a parent folder, and the shard command loads the same file.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { ConfigError, UsageError } from '../core/errors.js'

// Vitest's own order (packages/vitest/src/constants.ts CONFIG_NAMES × CONFIG_EXTENSIONS).
const CONFIG_FILES = ['vitest.config', 'vite.config'].flatMap((name) =>
  ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].map((ext) => name + ext),
)

/**
 * The Vitest config file Vitest itself would pick when started in `dir` without `--config`: vitest.config.* before
 * vite.config.*, in `dir` and, for Vitest 4 (`searchParents`), the nearest parent that has one; Vitest 5 looks in
 * `dir` only. `stopAt` (e.g. the repo root, the only part a container sees) ends the search there.
 */
export function findVitestConfig(dir: string, stopAt?: string, searchParents = true): string | null {
  let current = path.resolve(dir)
  const last = stopAt ? path.resolve(stopAt) : null
  for (;;) {
    for (const name of CONFIG_FILES) {
      const candidate = path.join(current, name)
      if (fs.existsSync(candidate)) return candidate
    }
    const parent = path.dirname(current)
    if (!searchParents || current === last || parent === current) return null
    current = parent
  }
}

export interface InstalledVitest {
  version: string
  /** Its package.json's `engines.node`, when it names one. */
  nodeRange?: string
  /** Its package.json. */
  file: string
}

/** The Vitest Node resolves from `dir` (the one a shard there runs): its version and the Node it needs; null when none is. */
export function installedVitest(dir: string): InstalledVitest | null {
  try {
    const file = createRequire(path.join(dir, 'noop.js')).resolve('vitest/package.json')
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown; engines?: { node?: unknown } }
    if (typeof pkg.version !== 'string') return null
    const nodeRange = typeof pkg.engines?.node === 'string' ? pkg.engines.node : undefined
    return { version: pkg.version, file, ...(nodeRange && { nodeRange }) }
  } catch {
    return null
  }
}

/** The major version of the Vitest Node resolves from `dir` (the one a shard there runs), or null when none is. */
export function installedVitestMajor(dir: string): number | null {
  const version = installedVitest(dir)?.version
  const major = version === undefined ? Number.NaN : Number(version.split('.')[0])
  return Number.isInteger(major) ? major : null
}

/** Vitest 4 looks for its config in parent folders too, Vitest 5 does not (an unknown Vitest counts as 5). */
export const searchesParentFolders = (vitestMajor: number | null): boolean => vitestMajor !== null && vitestMajor < 5

/**
 * For `xtest plan`: one line when the Vitest installed for `dir` (5+) picks no config there while Vitest 4's rule
 * (parent folders too) would have picked one above it, so a shard runs without the config someone may expect.
 */
export function configLookupNote(container: string, dir: string, stopAt: string): string | null {
  const major = installedVitestMajor(dir)
  if (major === null || searchesParentFolders(major)) return null
  if (findVitestConfig(dir, stopAt, false) !== null) return null
  const above = findVitestConfig(dir, stopAt, true)
  if (above === null) return null
  const rel = (file: string) => path.relative(stopAt, file) || '.'
  return `container ${container}: Vitest ${major} does not look for its config in parent folders: its shards in ${rel(dir)} run without ${rel(above)} (Vitest 4 used it); add a vitest.config.* there (it may extend the other) or set the container's workdir to ${rel(path.dirname(above))}`
}

/**
 * The Vitest config a container's shards load: the one it names (`vitestConfig`, relative to `root`), else the one
 * Vitest would find in its workdir. A named file that is missing or outside the repository is a config error.
 */
export function chooseVitestConfig(
  container: { workdir: string; vitestConfig?: string | undefined },
  root: string,
  repoRoot: string,
  name = 'container',
): string | null {
  if (container.vitestConfig === undefined) {
    const dir = path.resolve(root, container.workdir)
    return findVitestConfig(dir, repoRoot, searchesParentFolders(installedVitestMajor(dir)))
  }
  const file = path.resolve(root, container.vitestConfig)
  const rel = path.relative(repoRoot, file)
  if (rel.startsWith('..') || path.isAbsolute(rel))
    throw new ConfigError(
      `container ${name}: vitestConfig ${container.vitestConfig} is outside the repository ${repoRoot}, which shards see`,
    )
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile())
    throw new ConfigError(`container ${name}: vitestConfig ${container.vitestConfig} does not exist (relative to ${root})`)
  return file
}

/** `--config X`, `--config=X` or `-c X` among the arguments for Vitest: taken out, since xtest loads the config itself. */
export function takeVitestConfigArg(args: readonly string[]): { args: string[]; config?: string } {
  const rest: string[] = []
  let config: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    let value: string | undefined
    if (arg === '--config' || arg === '-c') {
      value = args[++i]
    } else if (arg.startsWith('--config=')) value = arg.slice('--config='.length)
    else {
      rest.push(arg)
      continue
    }
    if (!value || value.startsWith('-')) throw new UsageError(`-- ${arg} needs a file, e.g. -- --config config/vitest.config.ts`)
    if (config !== undefined) throw new UsageError(`-- --config is given twice (${config}, ${value}): name one Vitest config`)
    config = value
  }
  return config === undefined ? { args: rest } : { args: rest, config }
}
