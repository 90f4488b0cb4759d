// The parts of one `--shard I/N` split must be cut from the same timings. A part therefore never writes
// timings.json: it leaves its samples in `timings.parts/<plan>-<N>/part-<I>.json`, and only when every part of that
// split has run are they folded into timings.json together (the split is re-made for the next round, not mid-round).
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { parseJson } from '../core/result.js'
import { TIERS } from '../core/tiers.js'
import { lstatOf, namesIn, readStored, removeTree, writeStored } from './files.js'
import { recordTimings, type TimingSample } from './timings.js'

export interface SplitPart {
  /** `sha256:<hex>` of the plan the part was cut from. */
  planHash: string
  index: number
  count: number
}

/** Pending splits older than this are dropped (a round that was never finished). */
const STALE_MS = 7 * 24 * 3600 * 1000
const MAX_SAMPLES = 200_000
const MAX_PART_BYTES = 64 * 1024 * 1024

const partsRoot = (timingsFile: string): string => path.join(path.dirname(timingsFile), 'timings.parts')
const splitName = (part: Pick<SplitPart, 'planHash' | 'count'>): string =>
  `${part.planHash
    .replace(/^sha256:/, '')
    .replace(/[^0-9a-f]/g, '')
    .slice(0, 16)}-${part.count}`

/** Records one part's samples; folds the whole split into timings.json once its last part is in. Returns true then. */
export async function recordPartTimings(
  timingsFile: string,
  samples: readonly TimingSample[],
  part: SplitPart,
  warn: (line: string) => void,
): Promise<boolean> {
  const root = partsRoot(timingsFile)
  const dir = path.join(root, splitName(part))
  const { planHash, index, count } = part
  writeStored(path.join(dir, `part-${index}.json`), `${JSON.stringify({ planHash, index, count, samples })}\n`)
  dropStaleSplits(root, dir)
  const present = namesIn(dir).filter((name) => /^part-\d+\.json$/.test(name)).length
  if (present < part.count) return false
  // Claim the split by renaming it: of two parts finishing at once, only one folds.
  const claimed = `${dir}.folding.${process.pid}.${crypto.randomBytes(4).toString('hex')}`
  try {
    fs.renameSync(dir, claimed)
  } catch {
    return false
  }
  try {
    const all: TimingSample[] = []
    for (let index = 1; index <= part.count; index++) all.push(...readPartSamples(path.join(claimed, `part-${index}.json`), warn))
    await recordTimings(timingsFile, all, { warn })
    return true
  } finally {
    removeTree(claimed)
  }
}

/**
 * Parts of an unfinished split with the same N but another plan: the split changed (timings written by a whole run
 * or `xtest merge --timings`, files added, config changed) between two parts, so they may overlap.
 */
export function findOtherOpenSplits(timingsFile: string, part: SplitPart): number[] {
  const root = partsRoot(timingsFile)
  const mine = splitName(part)
  const others = namesIn(root).filter((name) => name !== mine && name.endsWith(`-${part.count}`) && /^[0-9a-f]+-\d+$/.test(name))
  return others
    .flatMap((name) => namesIn(path.join(root, name)).flatMap((file) => /^part-(\d+)\.json$/.exec(file)?.[1] ?? []))
    .map(Number)
    .filter((index) => index !== part.index)
    .sort((a, b) => a - b)
}

function readPartSamples(file: string, warn: (line: string) => void): TimingSample[] {
  const read = readStored(file, MAX_PART_BYTES)
  const data = read.ok ? parseJson(read.value ?? '') : read
  if (!data.ok) {
    warn(`${file}: unreadable (${data.message}); its samples are left out`)
    return []
  }
  const samples = (data.value as { samples?: unknown })?.samples
  if (!Array.isArray(samples)) return []
  return samples.slice(0, MAX_SAMPLES).filter((sample): sample is TimingSample => {
    const s = sample as Partial<TimingSample> | null
    return (
      typeof s === 'object' &&
      s !== null &&
      typeof s.container === 'string' &&
      typeof s.file === 'string' &&
      (TIERS as readonly string[]).includes(String(s.tier)) &&
      typeof s.ms === 'number' &&
      Number.isFinite(s.ms) &&
      s.ms >= 0
    )
  })
}

function dropStaleSplits(root: string, keep: string): void {
  for (const name of namesIn(root)) {
    const dir = path.join(root, name)
    const info = lstatOf(dir)
    if (dir !== keep && info?.isDirectory() && Date.now() - info.mtimeMs > STALE_MS) removeTree(dir)
  }
}
