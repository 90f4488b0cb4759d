// The output folder and its run folders (`<outputDir>/runs/<run-id>`, each with the owner.json pruning trusts), the
// build logs and the last merged report that `--failed` reads by default.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ConfigError } from '../core/errors.js'
import { resolveInside } from './files.js'

/** `20261121-234800-3f9a`: sortable by time, unique enough for one machine. */
export function createRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${stamp}-${crypto.randomBytes(2).toString('hex')}`
}

/** A run id as createRunId makes them: only such folders are ever pruned. */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{4}$/

/** `<run folder>/owner.json`: which process on which host owns the run (a run whose owner is alive is never pruned). */
export const OWNER_FILE = 'owner.json'

export interface RunOwner {
  pid: number
  host: string
  startedAt: string
}

export interface RunFolder {
  runId: string
  /** `<outputDir>/runs/<run-id>` */
  dir: string
  shardDir(shardId: string): string
}

// Like .pytest_cache: a folder xtest creates ignores itself, so a repo without `xtest init` does not commit run output.
function createOutputDir(outputDir: string): void {
  if (fs.existsSync(outputDir)) return
  fs.mkdirSync(outputDir, { recursive: true })
  try {
    fs.writeFileSync(path.join(outputDir, '.gitignore'), '# Written by xtest: run output is not for version control.\n*\n', { flag: 'wx' })
  } catch {
    // Another run created it first, or the folder is read-only: git-ignoring is a courtesy, not a requirement.
  }
}

/**
 * Refuses an output folder xtest must not write through: one that is, or sits below, a symbolic link inside the
 * repository (a committed `.xtest` link would turn every report and run folder into a write, and pruning into a
 * delete, wherever it points), or one outside the repository.
 */
export function checkOutputDir(root: string, outputDir: string, repoRoot: string): string {
  const real = path.resolve(fs.realpathSync(root), outputDir)
  const label = path.relative(process.cwd(), path.resolve(root, outputDir)) || real
  const outside = () =>
    new ConfigError(
      `the output folder ${label} is outside the repository ${repoRoot}: set outputDir to a folder inside it`,
      'XTEST_UNSAFE_OUTPUT_DIR',
    )
  if (!`${real}${path.sep}`.startsWith(`${repoRoot}${path.sep}`)) throw outside()
  for (let p = path.join(real, 'runs'); p !== repoRoot && p !== path.dirname(p); p = path.dirname(p)) {
    let stat: fs.Stats
    try {
      stat = fs.lstatSync(p)
    } catch {
      continue // not made yet
    }
    if (stat.isSymbolicLink())
      throw new ConfigError(
        `the output folder ${label} goes through the symbolic link ${p} (to ${fs.readlinkSync(p)}): xtest writes reports and run folders there and prunes old ones; remove the link or set outputDir to a real folder`,
        'XTEST_UNSAFE_OUTPUT_DIR',
      )
  }
  if (resolveInside(repoRoot, real) === null) throw outside()
  return real
}

export function createRunFolder(outputDir: string, runId = createRunId()): RunFolder {
  createOutputDir(outputDir)
  const dir = path.join(outputDir, 'runs', runId)
  fs.mkdirSync(dir, { recursive: true })
  const owner: RunOwner = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() }
  fs.writeFileSync(path.join(dir, OWNER_FILE), `${JSON.stringify(owner)}\n`, { flag: 'wx' })
  return { runId, dir, shardDir: (shardId) => path.join(dir, shardId) }
}

/** Where `xtest build` and `xtest exec` log an image build: `<outputDir>/builds/<container>.log`. */
export function buildLogPath(config: { root: string; outputDir: string }, container: string): string {
  const dir = path.join(path.resolve(config.root, config.outputDir), 'builds')
  fs.mkdirSync(dir, { recursive: true })
  return path.join(dir, `${container}.log`)
}

/** `<outputDir>/junit.xml`: a run's merged report by default, and what `xtest run --failed` re-runs by default. */
export const lastReportPathOf = (config: { root: string; outputDir: string }): string =>
  path.resolve(config.root, config.outputDir, 'junit.xml')
