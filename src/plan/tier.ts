// A file's tiers from its tags (found without running it), so the planner knows which tier shards it joins.
import { TIERS, type Tier, tierOfTags } from '../core/tiers.js'
import type { SourceFacts } from './scan-source.js'

/**
 * The tiers a file has tests in, each with what put it there. A file-wide `@module-tag` moves
 * every test up; tags on single tests or describes add their tiers. Without a module tag the
 * file always keeps `fast`: a file with one slow test usually has untagged ones, and a fast shard
 * that finds none costs little, while a missed tier would lose tests.
 */
export function detectTiers(facts: SourceFacts): ReadonlyMap<Tier, string> {
  if (facts.moduleTags.length === 0 && facts.optionTags.length === 0) return UNTAGGED
  const fileTier = tierOfTags(facts.moduleTags)
  const found = new Map<Tier, string>([[fileTier, fileTier === 'fast' ? 'untagged tests' : `@module-tag ${fileTier}`]])
  for (const tag of facts.optionTags) {
    const tier = tierOfTags([tag])
    if (TIERS.indexOf(tier) > TIERS.indexOf(fileTier) && !found.has(tier)) found.set(tier, `tags: ['${tag}']`)
  }
  return new Map(TIERS.filter((t) => found.has(t)).map((t) => [t, found.get(t)!]))
}

// Most files have no tags at all: they share one answer instead of allocating their own.
const UNTAGGED: ReadonlyMap<Tier, string> = new Map([['fast', 'untagged tests']])
