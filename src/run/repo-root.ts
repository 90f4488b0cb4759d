import fs from 'node:fs'
import path from 'node:path'

/** The outermost git repository holding `dir` (mounted at /app), or `dir` itself outside git. */
export function findRepoRoot(dir: string): string {
  let found: string | null = null
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) found = current
    if (path.dirname(current) === current) break
  }
  return found ?? path.resolve(dir)
}
