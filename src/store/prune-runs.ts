// `.xtest/runs` would grow by one folder per run forever (27 folders, 50 MB in one afternoon): after each run, keep
// the newest `keepRuns` run folders and remove older ones, never the current run nor one whose owner is still alive.
import os from 'node:os'
import path from 'node:path'
import { parseJson } from '../core/result.js'
import { pidAlive } from '../shared/pid-alive.js'
import { lstatOf, namesIn, readStored, removeTree } from './files.js'
import { OWNER_FILE, RUN_ID_PATTERN, type RunOwner } from './run-folder.js'

export interface PruneOptions {
  /** `<outputDir>` (absolute): run folders are `<outputDir>/runs/<run-id>`. */
  outputDir: string
  /** Newest run folders kept (the current one included); `false` never prunes. */
  keep: number | false
  /** The current run: never removed. */
  currentRunId?: string
  /** Whether process `pid` on this host is alive. Default: signal 0. */
  isAlive?(pid: number): boolean
  now?: Date
}

export interface PruneResult {
  removed: string[]
  /** Old run folders kept because their owner may still be running. */
  busy: string[]
  /** Folders that could not be removed, with the reason. */
  failed: string[]
}

// A run from another host cannot be checked: it counts as alive for a day.
const OTHER_HOST_GRACE_MS = 24 * 3600 * 1000

function readOwner(runDir: string): RunOwner | undefined {
  const read = readStored(path.join(runDir, OWNER_FILE), 4096)
  const json = read.ok && read.value !== undefined ? parseJson(read.value) : undefined
  const data = (json?.ok ? json.value : undefined) as Partial<RunOwner> | null | undefined
  if (typeof data !== 'object' || data === null || !Number.isSafeInteger(data.pid) || typeof data.host !== 'string') return undefined
  return { pid: data.pid!, host: data.host, startedAt: typeof data.startedAt === 'string' ? data.startedAt : '' }
}

function ownerMayBeAlive(runDir: string, options: PruneOptions): boolean {
  const owner = readOwner(runDir)
  if (owner === undefined) return false
  if (owner.host === os.hostname()) return owner.pid === process.pid || (options.isAlive ?? pidAlive)(owner.pid)
  const started = Date.parse(owner.startedAt)
  return !Number.isFinite(started) || (options.now ?? new Date()).getTime() - started < OTHER_HOST_GRACE_MS
}

/** Removes old run folders beyond the newest `keep`; never follows links (rm unlinks them), never throws. */
export function pruneRuns(options: PruneOptions): PruneResult {
  const result: PruneResult = { removed: [], busy: [], failed: [] }
  if (options.keep === false) return result
  const runsDir = path.join(options.outputDir, 'runs')
  // Never through a link: `runs` (or the output folder) pointing elsewhere would make pruning delete there.
  if (!lstatOf(options.outputDir)?.isDirectory() || !lstatOf(runsDir)?.isDirectory()) return result
  // Run ids sort by time to the second; within one second by the owner's start (ms), since their random suffix says
  // nothing of order. Anything else in the folder (a link, a name of another form, a folder without the owner.json
  // xtest writes into every run folder it creates) is not ours to remove.
  const started = (runId: string) => `${runId.slice(0, 15)} ${readOwner(path.join(runsDir, runId))?.startedAt ?? ''} ${runId}`
  const runs = namesIn(runsDir)
    .filter((name) => RUN_ID_PATTERN.test(name) && lstatOf(path.join(runsDir, name))?.isDirectory() && readOwner(path.join(runsDir, name)))
    .map((runId) => ({ runId, key: started(runId) }))
    .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
    .map(({ runId }) => runId)
  for (const runId of runs.slice(Math.max(0, options.keep))) {
    if (runId === options.currentRunId) continue
    const dir = path.join(runsDir, runId)
    if (ownerMayBeAlive(dir, options)) {
      result.busy.push(runId)
      continue
    }
    const why = removeTree(dir)
    if (why === undefined) result.removed.push(runId)
    else result.failed.push(`${runId} (${why})`)
  }
  return result
}

/** After a run: prunes with the config's `keepRuns`; says on `warn` only what it could not remove. */
export function pruneAfterRun(
  config: { root: string; outputDir: string; keepRuns: number | false },
  currentRunId: string,
  warn: (line: string) => void,
): void {
  const result = pruneRuns({ outputDir: path.resolve(config.root, config.outputDir), keep: config.keepRuns, currentRunId })
  if (result.failed.length > 0) warn(`could not remove ${result.failed.length} old run folder(s): ${result.failed.slice(0, 3).join(', ')}`)
}
