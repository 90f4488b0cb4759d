// The safety checks must look inside folders a shard is given (a socket in a volume, a protected path in a writable
// folder) without following links or reading a huge tree forever: one bounded breadth-first walk serves both.
import fs from 'node:fs'
import path from 'node:path'

/** What to do with an entry: keep its path (and not look inside), look inside it (a folder), or pass it by. */
export type WalkStep = 'keep' | 'enter' | 'pass'

/** Folders read and entries seen at most; depth 1 reads only `root`; `first` stops at the first kept path. */
export type WalkLimits = { maxFolders?: number; maxEntries?: number; maxDepth?: number; first?: boolean }

/** The paths `step` keeps below `root`, breadth first; links are not followed and unreadable folders are passed by. */
export function walkTree(root: string, step: (entry: fs.Dirent) => WalkStep, limits: WalkLimits): string[] {
  const { maxFolders = Infinity, maxDepth = Infinity } = limits
  const kept: string[] = []
  const queue = [{ dir: root, depth: 1 }]
  let entriesLeft = limits.maxEntries ?? Infinity
  let folders = 0
  while (queue.length > 0 && entriesLeft > 0 && folders++ < maxFolders) {
    const { dir, depth } = queue.shift()!
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      if (--entriesLeft < 0) break
      const full = path.join(dir, entry.name)
      const what = step(entry)
      if (what === 'keep' && kept.push(full) && limits.first) return kept
      if (what === 'enter' && depth < maxDepth) queue.push({ dir: full, depth: depth + 1 })
    }
  }
  return kept
}
