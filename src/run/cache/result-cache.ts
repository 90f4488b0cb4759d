// The result cache of a run (docs/cache.md): before the shards start, every (container, tier, file) whose stored
// passing result still holds is taken from the cache and dropped from its shard (a shard left without files never
// starts); after the merge, the files that passed are stored with the modules their shard says they loaded.
import fs from 'node:fs'
import path from 'node:path'
import { findCacheDir } from '../../config/parse-cache.js'
import type { ResolvedConfig } from '../../config/resolve.js'
import { fail, type Result } from '../../core/result.js'
import { resultKey } from '../../core/result-key.js'
import { readRegularFile } from '../../core/safe-fs.js'
import type { ShardIdentity } from '../../core/shard.js'
import { createImportReader, importClosure } from '../../plan/io/import-graph.js'
import type { CachedSuite } from '../../report/cached-suites.js'
import type { BaseParts } from '../../store/result-store.js'
import { type EntryAddress, type ResultStore, resultStoreOf } from '../../store/result-store.js'
import { type CacheVerdict, checkLookup, NO_CACHE_DOCBLOCK } from './cache-check.js'
import { computeBaseParts } from './cache-key.js'
import { RepoHasher } from './file-hash.js'
import { defaultSnapshotOf, hostProbe, type Probe } from './observed-inputs.js'

/** What the cache needs of a shard: the fields of a ShardSpec that go into the key. */
export interface CacheShard extends ShardIdentity {
  files: string[]
  env: Record<string, string>
  mounts: { readOnly: boolean }
  vitestArgs: string[]
}

export interface ResultCacheOptions {
  config: ResolvedConfig
  repoRoot: string
  /** False with `--no-cache`: nothing is reused, passing results are still stored. */
  reuse: boolean
  env?: NodeJS.ProcessEnv
}

/** What storing read while the shards ran (ResultCache.warm): hashes, and the import graph with what its answers rest on. */
interface ReadWhileRunning {
  hasher: RepoHasher
  readImports: (file: string) => string[]
  /** Paths the resolver looked at (their folder's entries) and files it read. */
  listed: Set<string>
  read: Set<string>
}

/** A slice of the work of warm() between two turns of the event loop (the host keeps drawing progress). */
const WARM_SLICE_MS = 4

export class ResultCache {
  readonly hasher: RepoHasher
  /** The host's reading of a file, folder or variable a stored result depended on. */
  readonly probe: Probe
  /** When the run started (the cache is made before it); storing refuses what changed since (afterRun). */
  readonly startedMs: number
  private readonly bases = new Map<string, Result<BaseParts>>()
  private whileRunning: ReadWhileRunning | undefined

  /** `changedAfter`: see RepoHasher (afterRun); `earlier`: what warm() read while the run ran. */
  constructor(
    readonly options: ResultCacheOptions,
    readonly store: ResultStore,
    changedAfter?: number,
    private readonly earlier?: ReadWhileRunning,
  ) {
    this.startedMs = changedAfter ?? Date.now()
    this.hasher = new RepoHasher(options.repoRoot, changedAfter, earlier?.hasher)
    this.probe = hostProbe(this.hasher, options.env ?? process.env)
  }

  /**
   * The cache as storing a run's results must see it: every file, folder and config looked at after the run (nothing
   * hashed before the run is trusted), and any of them changed since the run started refused. What warm() read while
   * the run ran is used only where a look now shows it unchanged since the start (RepoHasher, importReader).
   */
  afterRun(): ResultCache {
    return new ResultCache(this.options, this.store, this.startedMs, this.whileRunning)
  }

  /**
   * While the shards run (the host mostly waits), reads what storing their passes will need: each test file's static
   * imports and the hashes of those files and of its snapshot file, a slice at a time. Returns stop() for when the
   * shards are done; what was not read by then is read when storing, as it was before.
   */
  warm(shards: readonly CacheShard[]): { stop(): void } {
    const listed = new Set<string>()
    const read = new Set<string>()
    const warm: ReadWhileRunning = {
      hasher: new RepoHasher(this.options.repoRoot, this.startedMs),
      readImports: createImportReader(this.options.repoRoot, new Set(), (file, kind) => (kind === 'read' ? read : listed).add(file)),
      listed,
      read,
    }
    this.whileRunning = warm
    const files = shards.filter((shard) => this.options.config.containers[shard.container]?.cache !== false).flatMap((shard) => shard.files)
    const tests = new Set(files.map((file) => this.repoPath(file)))
    const reading = importClosure(tests, warm.readImports)
    let timer: NodeJS.Immediate | undefined
    const slice = () => {
      const until = performance.now() + WARM_SLICE_MS
      do {
        const next = reading.next()
        if (next.done) return void (timer = undefined)
        warm.hasher.hash(next.value)
        if (tests.has(next.value)) warm.hasher.hash(defaultSnapshotOf(next.value))
      } while (performance.now() < until)
      timer = setImmediate(slice)
    }
    timer = setImmediate(slice)
    return {
      stop() {
        if (timer) clearImmediate(timer)
      },
    }
  }

  /**
   * The reader of static imports for storing: warm()'s, when every folder its resolver looked in and every file it read
   * is unchanged since the run started (so its answers are today's), else a fresh one.
   */
  importReader(): (file: string) => string[] {
    const earlier = this.earlier
    if (earlier !== undefined && this.unchangedSinceStart(earlier)) return earlier.readImports
    return createImportReader(this.options.repoRoot, new Set())
  }

  private unchangedSinceStart({ listed, read }: ReadWhileRunning): boolean {
    const paths = new Set([...read, ...[...listed, ...read].map((file) => path.dirname(file))])
    for (const file of paths) {
      let stat: fs.Stats
      try {
        stat = fs.lstatSync(file)
      } catch {
        // A file read then that is gone now (or a folder) changed; a listed path's folder that was never there did not.
        if (read.has(file)) return false
        continue
      }
      if (this.hasher.changedWhileRunning(file, stat) !== undefined) return false
    }
    return true
  }

  /** Repository-relative path of a file relative to the config root. */
  repoPath(file: string): string {
    return path.relative(this.options.repoRoot, path.join(this.options.config.root, file)).split(path.sep).join('/')
  }

  address(shard: Pick<CacheShard, 'container' | 'tier'>, file: string): EntryAddress {
    return { configRel: this.repoPath(this.options.config.configPath ?? '.'), container: shard.container, tier: shard.tier, file }
  }

  /** The shared part of the key of a shard's files, or why they cannot be cached; `imageId` is `local` on the local runtime. */
  baseOf(shard: CacheShard, imageId: string | undefined): Result<BaseParts> {
    const key = JSON.stringify([shard.container, shard.tier, imageId ?? null, shard.env, shard.mounts.readOnly, shard.vitestArgs])
    let base = this.bases.get(key)
    if (base !== undefined) return base
    if (this.options.config.containers[shard.container]?.cache === false) base = fail('cache: false for this container')
    else if (imageId === undefined) base = fail('new image (not built or missing)')
    else {
      base = computeBaseParts(
        {
          config: this.options.config,
          container: shard.container,
          tier: shard.tier,
          repoRoot: this.options.repoRoot,
          imageId,
          env: shard.env,
          readOnly: shard.mounts.readOnly,
          vitestArgs: shard.vitestArgs,
        },
        this.hasher,
      )
    }
    this.bases.set(key, base)
    return base
  }

  /** The verdict for each file of a shard, in its order. */
  verdicts(shard: CacheShard, imageId: string | undefined): CacheVerdict[] {
    const base = this.baseOf(shard, imageId)
    return shard.files.map((file) => {
      if (!base.ok) return { hit: false, reason: base.message }
      if (this.optsOut(file)) return { hit: false, reason: '@xtest-no-cache' }
      if (!this.options.reuse) return { hit: false, reason: '--no-cache' }
      return checkLookup(this.store.lookup(this.address(shard, file), base.value), base.value, this.repoPath(file), this.hasher, this.probe)
    })
  }

  /** Splits the shards into what still runs and what the cache answers (with the reason for each file that runs). */
  select<T extends CacheShard>(
    shards: readonly T[],
    imageIdOf: (container: string) => string | undefined,
  ): { shards: T[]; cached: CachedSuite[]; reasons: Map<string, string> } {
    const cached: CachedSuite[] = []
    const reasons = new Map<string, string>()
    const remaining: T[] = []
    for (const shard of shards) {
      const verdicts = this.verdicts(shard, imageIdOf(shard.container))
      const files = shard.files.filter((file, i) => {
        const verdict = verdicts[i]!
        if (!verdict.hit) {
          reasons.set(resultKey(shard.container, shard.tier, file), verdict.reason)
          return true
        }
        cached.push({ shardId: shard.id, suite: verdict.entry.suite, runId: verdict.entry.runId })
        this.store.touch(verdict.entry)
        return false
      })
      if (files.length > 0) remaining.push(files.length === shard.files.length ? shard : { ...shard, files })
    }
    return { shards: remaining, cached, reasons }
  }

  /** `/** @xtest-no-cache *\/` in the test file (read as data: no link followed). */
  optsOut(file: string): boolean {
    const read = readRegularFile(path.join(this.options.config.root, file), 64 * 1024 * 1024)
    return read.ok && NO_CACHE_DOCBLOCK.test(read.value.toString('utf8'))
  }

  /** One line for the end of a run when entries were passed over (unreadable, unsigned) or the folder is refused. */
  corruptionWarning(): string | undefined {
    return this.store.warning()
  }
}

/** The run's cache, or undefined when it is off (XTEST_CACHE=off) or has nowhere to live (no node_modules, no XTEST_CACHE_DIR). */
export function createResultCache(options: ResultCacheOptions): ResultCache | undefined {
  const env = options.env ?? process.env
  if (env.XTEST_CACHE === 'off') return undefined
  const store = resultStoreOf(findCacheDir(options.config.root), env)
  return store ? new ResultCache(options, store) : undefined
}

/** `result cache: 12 of 14 file(s) taken from the cache (2 to run, 1 shard started)`. */
export function describeSelection(
  reuse: { shards: readonly CacheShard[]; cached: readonly CachedSuite[] },
  planned: readonly CacheShard[],
): string {
  const total = planned.reduce((sum, shard) => sum + shard.files.length, 0)
  const toRun = total - reuse.cached.length
  return `result cache: ${reuse.cached.length} of ${total} file(s) taken from the cache (${toRun} to run in ${reuse.shards.length} of ${planned.length} shard(s))`
}
