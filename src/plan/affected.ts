import { groupIntoShards } from './shard-split.js'
import { listWork } from './balance.js'
import type { Shard } from './types.js'

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
  /** The files a file imports, resolved, relative to the config root (injected: reading files is not the plan's job). */
  importsOf(file: string): readonly string[]
}

export interface AffectedResult {
  shards: Shard[]
  /** Test files selected, and why each was: `changed`, `imports <file>`, or a trigger. */
  reasons: Map<string, string>
}

/**
 * `--changed`: keeps the (container, tier, file) items whose file changed, (transitively) imports a changed file,
 * or belongs to a container a trigger selects entirely.
 */
export function selectAffected(input: AffectedInput): AffectedResult {
  const reasons = new Map<string, string>()
  const reasonOf = (file: string): string | undefined => {
    if (!reasons.has(file)) {
      const found = findChangedImport(file, input)
      reasons.set(file, found === undefined ? '' : found === file ? 'changed' : `imports ${found}`)
    }
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

// Breadth first from the test file through its imports; the first changed file found is the reason.
function findChangedImport(start: string, input: AffectedInput): string | undefined {
  const seen = new Set<string>([start])
  const queue = [start]
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i]!
    if (input.changed.has(file)) return file
    for (const next of input.importsOf(file)) {
      if (!seen.has(next)) {
        seen.add(next)
        queue.push(next)
      }
    }
  }
  return undefined
}
