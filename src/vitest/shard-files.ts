// Limits Vitest's projects to the shard's files: the plan, not the user's include globs, decides what a shard runs.
import fs from 'node:fs'
import path from 'node:path'
import type { TestProject } from 'vitest/node'

/** Escapes characters that picomatch/tinyglobby read as glob syntax, so a path matches only itself. */
export function escapeGlob(file: string): string {
  return file.replace(/[\\*?[\]{}()!+@]/g, '\\$&')
}

/** `file` relative to `dir`, POSIX, glob-escaped: an include pattern for exactly that file. */
export function exactPattern(dir: string, file: string): string {
  return escapeGlob(path.relative(dir, file).split(path.sep).join('/'))
}

/**
 * Sets every project's include to exact patterns of the shard's files (absolute paths).
 * One project: it gets them all, whatever its own include says. Several projects: each keeps the files its
 * own globs match, so a file runs where the user's config puts it. Exclude and includeSource are cleared:
 * they would otherwise drop planned files or add unplanned ones.
 */
export function limitProjectsToFiles(projects: readonly TestProject[], files: readonly string[]): void {
  for (const project of projects) {
    const mine = projects.length === 1 ? files : files.filter((file) => project.matchesTestGlob(file, () => fs.readFileSync(file, 'utf8')))
    const dir = project.config.dir || project.config.root
    project.config.include = mine.map((file) => exactPattern(dir, file))
    project.config.exclude = []
    project.config.includeSource = []
  }
}
