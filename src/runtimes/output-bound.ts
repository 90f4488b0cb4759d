// A shard's results folder (/xtest/out, the exchange folder's out/ on the host) lives on the host's disk: a test
// that writes gigabytes there would fill $TMPDIR. A bind mount has no size of its own (a tmpfs would vanish with the
// container before the host takes the results), so the host measures the folder while the shard runs and stops
// the shard past the limit. The folder is the shard's to shape: the walk never follows links and gives up, counting
// as over the limit, past MAX_ENTRIES entries.
import fs from 'node:fs'
import path from 'node:path'

const MAX_ENTRIES = 50_000
const EVERY_MS = 250

/** Bytes the folder's tree takes on disk (allocated blocks, so a sparse file counts for what it holds), or Infinity past MAX_ENTRIES. */
export function diskUsage(dir: string): number {
  let total = 0
  let entries = 0
  const queue = [dir]
  while (queue.length > 0) {
    const current = queue.pop()!
    let names: string[]
    try {
      names = fs.readdirSync(current)
    } catch {
      continue
    }
    for (const name of names) {
      if (++entries > MAX_ENTRIES) return Number.POSITIVE_INFINITY
      const full = path.join(current, name)
      try {
        const stat = fs.lstatSync(full)
        total += stat.blocks * 512
        if (stat.isDirectory()) queue.push(full)
      } catch {
        /* gone meanwhile */
      }
    }
  }
  return total
}

export interface OutputBound {
  /** The cause when the shard went past the limit (checked once more now), else undefined. */
  over(): string | undefined
  stop(): void
}

/** Measures `dir` every 250 ms; past `limitBytes` calls `onOver` once with the cause. */
export function watchOutputSize(dir: string, limitBytes: number, onOver: (cause: string) => void, shownAs = '/xtest/out'): OutputBound {
  let cause: string | undefined
  const check = () => {
    if (cause) return
    const used = diskUsage(dir)
    if (used <= limitBytes) return
    const size = Number.isFinite(used) ? `${formatSize(used)}` : `more than ${MAX_ENTRIES} files`
    cause = `wrote ${size} into ${shownAs}, over its limit of ${formatSize(limitBytes)} (limits.shardOutput)`
    onOver(cause)
  }
  const timer = setInterval(check, EVERY_MS)
  timer.unref()
  return {
    over: () => {
      check()
      return cause
    },
    stop: () => clearInterval(timer),
  }
}

function formatSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}
