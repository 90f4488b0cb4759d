// A shard's private exchange folder, outside the repository and the run folder: `in/` holds what the host hands
// the shard (files.json, the wrapper Vitest config; read-only in a container), `out/` is the only place the
// shard writes its results, and `empty/` hides xtest's output folder inside the container. Once the shard has ended, the host copies what it needs out of `out/` as data
// (regular files only, size-capped, never through a link) into the run folder, which no shard can reach, and
// deletes the exchange folder. No path inside it is ever trusted.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readRegularFile, writeFreshFile } from '../core/safe-fs.js'
import { SHARD_REPORT_FILE } from '../core/shard-report.js'

/** What the host takes back from a shard, with the most bytes it accepts of each. */
const SHARD_RESULT_FILES = [
  { name: 'junit.xml', maxBytes: 64 * 1024 * 1024 },
  // The same suites as JSON, which the host reads faster (src/report/read-shard-report.ts).
  { name: SHARD_REPORT_FILE, maxBytes: 64 * 1024 * 1024 },
  { name: 'progress.ndjson', maxBytes: 16 * 1024 * 1024 },
  // Each test file's loaded modules, for the result cache: advisory data (src/run/cache/module-paths.ts).
  { name: 'modules.ndjson', maxBytes: 16 * 1024 * 1024 },
  // With --coverage: Vitest's raw JSON report and the user's coverage options (src/report/coverage/).
  { name: 'coverage-final.json', maxBytes: 256 * 1024 * 1024 },
  { name: 'coverage-options.json', maxBytes: 64 * 1024 },
] as const

export interface ShardExchange {
  /** Host paths. */
  dir: string
  inDir: string
  outDir: string
  /** Always empty and read-only: bound over xtest's output folder inside a container. */
  emptyDir: string
  /** The shard's own scratch folder inside `out/`, bound over Vitest's `.vitest/` in a read-only repository. */
  scratchDir: string
  /** Copies the shard's result files into `shardDir` (host-only); returns one note per file refused. */
  collect(shardDir: string): string[]
  /** Removes the folder and everything the shard left in it. */
  dispose(): void
}

const SAFE_SEGMENT = /^[A-Za-z0-9._-]+$/

/** Makes the folder; `owner` (uid:gid of the shard's user) gets `out/` when it is not the user xtest runs as. */
export function createShardExchange(shardId: string, owner?: { uid: number; gid: number }): ShardExchange {
  if (!SAFE_SEGMENT.test(shardId) || shardId.startsWith('.')) throw new Error(`unsafe shard id '${shardId}'`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xtest-${process.pid}-${shardId}-`))
  const inDir = path.join(dir, 'in')
  const outDir = path.join(dir, 'out')
  fs.mkdirSync(inDir, { mode: 0o755 })
  fs.mkdirSync(outDir, { mode: 0o755 })
  const emptyDir = path.join(dir, 'empty')
  fs.mkdirSync(emptyDir, { mode: 0o555 })
  // Vite's bundle loader writes its temp file into the node_modules beside the wrapper config (in out/).
  fs.mkdirSync(path.join(outDir, 'node_modules'), { mode: 0o755 })
  const scratchDir = path.join(outDir, '.vitest')
  fs.mkdirSync(scratchDir, { mode: 0o755 })
  // Fresh folders of our own: chowning them follows nothing the shard made.
  if (owner && owner.uid !== process.getuid?.())
    for (const own of [outDir, path.join(outDir, 'node_modules'), scratchDir]) fs.chownSync(own, owner.uid, owner.gid)
  return {
    dir,
    inDir,
    outDir,
    emptyDir,
    scratchDir,
    collect: (shardDir) => collectResults(outDir, shardDir),
    dispose: () => removeTree(dir),
  }
}

function collectResults(outDir: string, shardDir: string): string[] {
  const notes: string[] = []
  fs.mkdirSync(shardDir, { recursive: true })
  for (const { name, maxBytes } of SHARD_RESULT_FILES) {
    const read = readRegularFile(path.join(outDir, name), maxBytes)
    if (read.ok) writeFreshFile(path.join(shardDir, name), read.value)
    else if (read.kind !== 'missing') notes.push(`refused the shard's ${read.message}`)
  }
  return notes
}

// rmSync does not follow links; a folder the shard made unreadable (mode 000) is opened up first.
function removeTree(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 })
  } catch {
    openUp(dir)
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 })
  }
}

function openUp(dir: string): void {
  try {
    fs.chmodSync(dir, 0o700)
  } catch {
    return
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) openUp(path.join(dir, entry.name))
  }
}

const EXCHANGE_NAME = /^xtest-(\d+)-[A-Za-z0-9._-]+-[A-Za-z0-9]{6}$/

/**
 * Removes the exchange folders that a dead xtest left in the temp folder (killed with -9: no `finally` ran). Only
 * real folders of this user whose pid in the name no longer answers. Returns how many were removed.
 */
export function removeOrphanExchanges(isAlive: (pid: number) => boolean, dir = os.tmpdir()): number {
  let removed = 0
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return 0
  }
  for (const name of names) {
    const pid = Number(name.match(EXCHANGE_NAME)?.[1])
    if (!pid || pid === process.pid || isAlive(pid)) continue
    const full = path.join(dir, name)
    try {
      const stat = fs.lstatSync(full)
      if (!stat.isDirectory() || stat.uid !== process.getuid?.()) continue
      removeTree(full)
      removed++
    } catch {
      /* gone, or not ours to remove */
    }
  }
  return removed
}
