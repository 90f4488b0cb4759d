// `--changed`: which test files a change can affect, following imports both ways, so unaffected files skip.
import micromatch from 'micromatch'
import { listWork } from './balance.js'
import { groupIntoShards } from './shard-split.js'
import type { Shard } from './types.js'

/** The start of the reason of a file selected because the static scan could not follow one of its imports. */
export const UNFOLLOWED = 'the resolver could not follow an import: '

/** Changes that select more than the files importing them. */
export interface ChangeTriggers {
  /** Set when a change selects every file (the xtest config, a package.json, a Vitest config): one line why. */
  all?: string
  /** Container → why all its files are selected (its Dockerfile or build context changed). */
  containers: Map<string, string>
}

export interface AffectedInput {
  shards: readonly Shard[]
  /** Changed files: POSIX, relative to the config root (may start with `../`). */
  changed: ReadonlySet<string>
  triggers: ChangeTriggers
  /** What a file imports, resolved, relative to the config root (injected: reading files is not the plan's job). */
  importsOf(file: string): StaticImports
  /**
   * The inputs a run recorded for a test file (relative to the config root); undefined when it has no record. A
   * record adds to the static scan, never replaces it: it may be older than the file's imports.
   */
  recordedInputs?(file: string): readonly string[] | undefined
}

/** A file's imports as the static scan found them (io/import-graph.ts). */
interface StaticImports {
  files: readonly string[]
  /** Files a glob matches now (followed as imports). */
  globbed?: readonly string[]
  /** import.meta.glob patterns (relative to the config root): a changed path they match counts, also a deleted one. */
  globs?: ReadonlyArray<{ patterns: readonly string[]; ignore: readonly string[] }>
  /** Imports the scan could not read or resolve, each `… at file:line`. */
  problems?: readonly string[]
}

export interface AffectedResult {
  shards: Shard[]
  /** Test files selected, and why each was: `changed`, `imports <file>`, or a trigger. */
  reasons: Map<string, string>
}

/**
 * `--changed`: keeps the (container, tier, file) items whose file changed, whose recorded inputs include a changed
 * path, that (transitively) import a changed file or a glob matching one, whose imports the scan could not all read,
 * or of a container a trigger selects entirely.
 */
export function selectAffected(input: AffectedInput): AffectedResult {
  const reasons = new Map<string, string>()
  const reasonOf = (file: string): string | undefined => {
    if (!reasons.has(file)) reasons.set(file, input.changed.size === 0 ? '' : (findReason(file, input) ?? ''))
    return reasons.get(file) || undefined
  }
  const items = listWork(input.shards).filter((item) => {
    if (input.triggers.all !== undefined) return true
    return input.triggers.containers.has(item.container) || reasonOf(item.file) !== undefined
  })
  const selected = new Map<string, string>()
  for (const item of items) {
    const why = input.triggers.all ?? input.triggers.containers.get(item.container) ?? reasonOf(item.file)!
    if (!selected.has(item.file)) selected.set(item.file, why)
  }
  return { shards: groupIntoShards(items), reasons: selected }
}

// The file itself, then its record, then breadth first through its imports: the first changed path found is the
// reason; failing that, the first import the scan could not read.
function findReason(start: string, input: AffectedInput): string | undefined {
  if (input.changed.has(start)) return 'changed'
  const recorded = input.recordedInputs?.(start)
  const hit = recorded?.find((each) => input.changed.has(each))
  if (hit !== undefined) return `recorded input ${hit} changed`
  const changed = [...input.changed]
  const seen = new Set<string>([start])
  const queue = [start]
  let problem: string | undefined
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i]!
    if (input.changed.has(file)) return `imports ${file}`
    const imports = input.importsOf(file)
    for (const glob of imports.globs ?? []) {
      const match = changed.find((each) =>
        micromatch.isMatch(each, glob.patterns as string[], { dot: true, ignore: glob.ignore as string[] }),
      )
      if (match !== undefined) return `imports ${match} (import.meta.glob)`
    }
    problem ??= imports.problems?.[0]
    for (const next of [...imports.files, ...(imports.globbed ?? [])]) {
      if (!seen.has(next)) {
        seen.add(next)
        queue.push(next)
      }
    }
  }
  return problem !== undefined ? `${UNFOLLOWED}${problem}` : undefined
}
