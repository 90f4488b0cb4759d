// The test files of a config, found with fast-glob and sorted, so the same tree always gives the same plan.

import fs from 'node:fs'
import path from 'node:path'
import fg from 'fast-glob'

// Always left out, whatever the user's exclude says: never test files of this project.
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', '**/.xtest/**']

/**
 * Lists test files under `root` (POSIX, relative, sorted) matching include and not exclude. A test file that is a
 * symlink to a regular file is listed, as Vitest lists it; a symlink to anything else (a FIFO, a device) is not,
 * and is reported to `onSkip`: reading it would hang or never end. Symlinked directories are not walked (fast-glob
 * would follow a link to `..` forty levels deep).
 */
export async function discoverTestFiles(
  root: string,
  include: string[],
  exclude: string[],
  onSkip?: (file: string, why: string) => void,
): Promise<string[]> {
  const entries = await fg(include, {
    cwd: root,
    ignore: [...ALWAYS_EXCLUDED, ...exclude],
    onlyFiles: false,
    objectMode: true,
    dot: false,
    followSymbolicLinks: false,
    // One pattern cannot list a file twice; several may, and a Set is cheaper than fast-glob's own check.
    unique: false,
  })
  const files: string[] = []
  for (const entry of entries) {
    if (entry.dirent.isFile()) files.push(entry.path)
    else if (entry.dirent.isSymbolicLink()) {
      const why = symlinkProblem(path.join(root, entry.path))
      if (why) onSkip?.(entry.path, why)
      else files.push(entry.path)
    }
  }
  return (include.length > 1 ? [...new Set(files)] : files).sort()
}

function symlinkProblem(file: string): string | undefined {
  try {
    const stat = fs.statSync(file)
    if (stat.isFile()) return undefined
    if (stat.isDirectory()) return 'a symlink to a folder (not followed)'
    return 'a symlink to something that is not a regular file'
  } catch {
    return 'a symlink to nothing (broken)'
  }
}
