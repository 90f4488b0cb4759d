// The lines around a failing line, read from the repository on the host when the page is written. The file name
// comes from the report (attacker-controlled): only a regular file inside the root, after links, is ever read.
import { constants } from 'node:fs'
import { open, realpath } from 'node:fs/promises'
import path from 'node:path'

export interface SourceExcerpt {
  /** Line number of `lines[0]`. */
  first: number
  /** The failing line. */
  line: number
  lines: string[]
}

/** Lines shown before and after the failing one, characters per line, and the largest file read. */
export const SOURCE_LIMITS = { around: 3, width: 200, maxFileBytes: 2 * 1024 * 1024 }

/** Key of an excerpt: `file:line`. */
export const sourceKey = (file: string, line: number): string => `${file}:${line}`

const inside = (root: string, target: string): boolean => {
  const relative = path.relative(root, target)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}

/** Lines `line - around … line + around` of `file` (relative to `root`); undefined for anything outside `root`. */
export async function readSourceExcerpt(root: string, file: string, line: number): Promise<SourceExcerpt | undefined> {
  if (!Number.isSafeInteger(line) || line < 1 || file.includes('\0') || path.isAbsolute(file)) return undefined
  try {
    const realRoot = await realpath(root)
    const target = path.resolve(realRoot, file)
    if (!inside(realRoot, target)) return undefined
    const real = await realpath(target)
    if (!inside(realRoot, real)) return undefined
    // Not through a link swapped in since, and never waiting on a FIFO: what was opened must be a regular file.
    const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
    try {
      const stat = await handle.stat()
      if (!stat.isFile() || stat.size > SOURCE_LIMITS.maxFileBytes) return undefined
      const all = (await handle.readFile('utf8')).split(/\r?\n/)
      if (line > all.length) return undefined
      const first = Math.max(1, line - SOURCE_LIMITS.around)
      const last = Math.min(all.length, line + SOURCE_LIMITS.around)
      const lines = all
        .slice(first - 1, last)
        .map((text) => (text.length > SOURCE_LIMITS.width ? `${text.slice(0, SOURCE_LIMITS.width - 1)}…` : text))
      return { first, line, lines }
    } finally {
      await handle.close()
    }
  } catch {
    return undefined
  }
}
