// The one-line descriptions of how the plan was narrowed (a --shard part, a --changed selection): printed on stderr
// by `xtest run` and `xtest plan`, and given to library callers as notices.

import { formatDuration } from '../shared/duration.js'
import { plural } from '../shared/plural.js'
import { UNFOLLOWED } from './affected.js'
import type { ChangedSelection, PreparedPlan } from './prepare.js'
import type { ShardPart } from './shard-split.js'

/** The stderr line of a sharded run: which part, how big, and the plan's hash. */
export function describePart(prepared: PreparedPlan, part: ShardPart): string {
  const mine = prepared.parts?.[part.index - 1]
  const shards = prepared.plan.shards.length
  return `part ${part.index}/${part.count}: ${plural(mine?.files ?? 0, 'file')} in ${plural(shards, 'shard')}, expected ${formatDuration(mine?.expectedMs ?? 0)}; plan ${prepared.record.hash.slice(0, 19)}`
}

/** `--changed HEAD: 2 changed file(s) select 3 of 10 test file(s)`, and the reason when one trigger selected all. */
export function describeChanged(changed: ChangedSelection, plannedFiles: number): string {
  const reasons = [...new Set(changed.reasons.values())]
  const [first] = reasons
  const why = reasons.length === 1 && first !== 'changed' && !first!.startsWith('imports ') ? ` (${first})` : ''
  const unfollowed = [...changed.reasons.values()].filter((reason) => reason.startsWith(UNFOLLOWED))
  const unsure =
    unfollowed.length > 0 && why === ''
      ? `; ${unfollowed.length} because the resolver could not follow an import (${unfollowed[0]!.slice(UNFOLLOWED.length)}${unfollowed.length > 1 ? ', …' : ''}; xtest plan --changed --json lists each)`
      : ''
  return `--changed ${changed.ref}: ${plural(changed.files.length, 'changed file')} select ${changed.reasons.size} of ${plural(plannedFiles, 'test file')}${why}${unsure}`
}
