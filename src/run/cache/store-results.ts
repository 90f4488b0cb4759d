// After the merge: the files of this run that passed are stored, each with the key it ran under. Never stored:
// a file with a failing, erroring, flaky or synthetic case, a file salvaged from a crashed shard's progress log, any
// file of a shard that ended badly (timeout, crash, interrupt, infra, an unhandled error or a mismatch), a file whose
// module list is missing, incomplete or names a path xtest refuses, a file changed while the run ran, @xtest-no-cache.
import fs from 'node:fs'
import path from 'node:path'
import { resultKey } from '../../core/result-key.js'
import { readRegularFile } from '../../core/safe-fs.js'
import type { ShardOutcome, ShardSpec } from '../../core/shard.js'
import { importClosure } from '../../plan/io/import-graph.js'
import { CACHED, isCached } from '../../report/cached-suites.js'
import { COMPLETES, PART, PLAN_HASH, QUARANTINED } from '../../report/run-properties.js'
import { isSalvaged } from '../../report/salvaged-suites.js'
import type { JUnitReport, ReportSuite } from '../../report/types.js'
import { SHARD_IN_MOUNT, SHARD_OUT_MOUNT, XTEST_MOUNT } from '../../runtimes/docker-spec.js'
import { findPackageRoot } from '../../shared/package-root.js'
import { type CacheEntry, ENTRY_VERSION } from '../../store/result-store.js'
import { type FileRecord, readModuleLists, type ShardPathView } from './module-paths.js'
import { defaultSnapshotOf, type InputKey, inheritedEnvKeys } from './observed-inputs.js'
import type { ResultCache } from './result-cache.js'

/** Files followed from one test file: a generated tree of imports cannot make storing endless. */
const MAX_CLOSURE = 20_000
const RUN_PROPERTIES = new Set([PLAN_HASH, PART, COMPLETES, QUARANTINED, CACHED])

export interface StoreInput {
  runId: string
  report: JUnitReport
  specs: readonly ShardSpec[]
  outcomes: readonly ShardOutcome[]
}

/** Stores what passed; returns how many files were stored. Never throws for a disk that refuses (the run goes on). */
export function storeResults(before: ResultCache, input: StoreInput): number {
  const cache = before.afterRun()
  const byShard = groupByShard(input.report.suites)
  // One reader for the whole store: each module's imports read and resolved once, not once per test file using it.
  const readImports = cache.importReader()
  // What a local shard inherits is the same for every file of the run.
  const envKeys = inheritedEnvKeys(cache.options.env ?? process.env)
  let stored = 0
  for (const spec of input.specs) {
    const outcome = input.outcomes.find((each) => each.id === spec.id)
    const suites = byShard.get(spec.id) ?? []
    if (!outcome || !shardEndedCleanly(outcome, spec, suites)) continue
    const base = cache.baseOf(spec, outcome.runtime === 'docker' ? outcome.imageId : 'local')
    if (!base.ok) continue
    const text = readRegularFile(path.join(spec.shardDir, 'modules.ndjson'), 16 * 1024 * 1024)
    if (!text.ok) continue
    const lists = readModuleLists(
      text.value.toString('utf8'),
      spec.files,
      cache.options.config.containers[spec.container]!.workdir,
      pathViewOf(spec, outcome, cache),
    )
    // The first suite of each name, as a search would find it.
    const byName = new Map<string, ReportSuite>()
    for (const suite of suites) if (!byName.has(suite.name)) byName.set(suite.name, suite)
    for (const file of spec.files) {
      const suite = byName.get(resultKey(spec.container, spec.tier, file))
      const list = lists.get(file)
      if (!suite || !isCleanPass(suite) || !list || cache.optsOut(file)) continue
      const testFile = cache.repoPath(file)
      const modules = list.ok ? modulesWithHashes(cache, readImports, testFile, list.value) : undefined
      const inputs = list.ok ? inputsWithValues(cache, testFile, list.value, outcome.runtime === 'local' ? envKeys : []) : undefined
      // A pass that cannot be reused is noted with its reason, for `xtest plan --files` (it runs next time too).
      const uncacheable = !list.ok ? list.message : typeof inputs === 'string' ? inputs : undefined
      if (modules === undefined && uncacheable === undefined) continue
      const entry: CacheEntry = {
        version: ENTRY_VERSION,
        container: spec.container,
        tier: spec.tier,
        file,
        runId: input.runId,
        createdAt: new Date().toISOString(),
        base: base.value,
        modules: uncacheable === undefined ? modules! : {},
        inputs: typeof inputs === 'object' ? inputs : {},
        ...(uncacheable !== undefined && { uncacheable }),
        suite: { ...suite, properties: suite.properties.filter((property) => !RUN_PROPERTIES.has(property.name)) },
      }
      try {
        cache.store.write(cache.address(spec, file), entry)
        stored++
      } catch {
        return stored
      }
    }
  }
  try {
    cache.store.evict()
  } catch {
    /* a cache that cannot shrink is only a cache */
  }
  return stored
}

function groupByShard(suites: readonly ReportSuite[]): Map<string, ReportSuite[]> {
  const byShard = new Map<string, ReportSuite[]>()
  for (const suite of suites) {
    // Suites taken from the cache carry the shard id of the run that made them: they are no part of this shard.
    if (isCached(suite)) continue
    const shard = suite.properties.find((property) => property.name === 'shard')?.value
    if (shard !== undefined) byShard.set(shard, [...(byShard.get(shard) ?? []), suite])
  }
  return byShard
}

// A shard xtest did not end, that exited 0 or 1, whose every failure lies in a planned file's own suite (no
// synthetic shard case, no suite of unhandled errors or of files it was not given).
function shardEndedCleanly(outcome: ShardOutcome, spec: ShardSpec, suites: readonly ReportSuite[]): boolean {
  if (outcome.ended !== undefined || (outcome.exitCode !== 0 && outcome.exitCode !== 1)) return false
  const status = suites[0]?.properties.find((property) => property.name === 'status')?.value
  if (status !== 'passed' && status !== 'failed' && status !== 'no-tests') return false
  const planned = new Set(spec.files.map((file) => resultKey(spec.container, spec.tier, file)))
  return (
    suites.every((suite) => planned.has(suite.name)) &&
    suites.every((suite) => suite.cases.every((c) => !c.fault?.type.startsWith('xtest.')))
  )
}

const isCleanPass = (suite: ReportSuite): boolean =>
  !isSalvaged(suite) && suite.cases.every((c) => (c.result === 'passed' || c.result === 'skipped') && !c.flaky && c.fault === undefined)

// The shard's list, the test file, and its relative imports as the host reads them (a shard cannot hide those);
// every one hashed now, and unchanged since the run started.
function modulesWithHashes(
  cache: ResultCache,
  readImports: (file: string) => string[],
  testFile: string,
  record: FileRecord,
): Record<string, string> | undefined {
  // globalSetup files run in Vitest's main process: the host follows their imports as it does the test file's. The
  // shard's list only adds to what the host reads: a module it names is followed all the same (a list that keeps a
  // module and drops what that imports hides nothing).
  const all = new Set([...record.modules, ...record.setup])
  for (const file of importClosure([testFile, ...record.setup], readImports, MAX_CLOSURE)) all.add(file)
  const modules: Record<string, string> = {}
  for (const rel of [...all].sort()) {
    const found = cache.hasher.hash(rel)
    if (!found.ok) return undefined
    modules[rel] = found.value.hash
  }
  return modules
}

// The other inputs with the host's values now: what the shard says the file read, listed and stat-ed, the
// snapshot file Vitest resolves for it by default (read or not: a snapshot file that appears later is a change), and
// on the local runtime every variable the shard inherits (`envKeys`). A string is why it cannot be stored (a file refused, or
// changed while the run ran).
function inputsWithValues(
  cache: ResultCache,
  testFile: string,
  record: FileRecord,
  envKeys: readonly InputKey[],
): Record<InputKey, string> | string {
  const keys = [
    ...[...record.reads, defaultSnapshotOf(testFile)].map((rel) => `read:${rel}`),
    ...record.lists.map((rel) => `list:${rel}`),
    ...record.stats.map((rel) => `stat:${rel}`),
    ...envKeys,
  ]
  const inputs: Record<InputKey, string> = {}
  for (const key of keys.sort()) {
    const now = cache.probe(key)
    if (!now.ok) return now.message
    inputs[key] = now.value
  }
  return inputs
}

// Docker: the repo at /app, xtest and the exchange's in/ covered by the versions and the key, other image files by
// the image id; the shard's scratch space and volumes refused. Local: the repo (and xtest's folder) only.
function pathViewOf(spec: ShardSpec, outcome: ShardOutcome, cache: ResultCache): ShardPathView {
  const xtestRoot = findPackageRoot(import.meta.url)
  const real = (dir: string) => {
    try {
      return fs.realpathSync(dir)
    } catch {
      return dir
    }
  }
  if (outcome.runtime === 'local') {
    return {
      repoRoots: [...new Set([spec.repoRoot, real(spec.repoRoot)])],
      covered: [...new Set([xtestRoot, real(xtestRoot)])],
      imageCovers: false,
      refused: [],
    }
  }
  const volumes = cache.options.config.containers[spec.container]!.volumes.map((volume) => volume.split(':')[1]!)
  return {
    repoRoots: ['/app'],
    covered: [XTEST_MOUNT, SHARD_IN_MOUNT],
    imageCovers: true,
    refused: ['/tmp', '/dev', '/proc', '/sys', SHARD_OUT_MOUNT, ...volumes],
  }
}
