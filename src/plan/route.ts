// Which container a test file belongs to (pins, include/exclude globs), with the reason `xtest plan --files` shows.
import micromatch from 'micromatch'
import type { ContainerConfig } from '../config/schema.js'

export interface RouteResult {
  /** Containers that take the file, each with the rule that made it so. */
  matches: { container: string; reason: string }[]
  /** For each container that does not take it: why not (used in the unassigned error). */
  rejections: { container: string; reason: string }[]
  /** A pin naming a container that does not exist. */
  unknownPins: string[]
}

/** Routes one file: a docblock pin wins; otherwise every container whose include matches and exclude does not. */
export function routeFile(file: string, containers: Record<string, ContainerConfig>, pins: string[]): RouteResult {
  const result: RouteResult = { matches: [], rejections: [], unknownPins: [] }
  if (pins.length > 0) {
    for (const pin of pins) {
      if (pin in containers) result.matches.push({ container: pin, reason: `pinned by @xtest-container ${pin}` })
      else result.unknownPins.push(pin)
    }
    return result
  }
  for (const [name, container] of Object.entries(containers)) {
    const excludedBy = container.exclude.find((glob) => matcherOf(container, glob)(file))
    if (excludedBy) {
      result.rejections.push({ container: name, reason: `exclude '${excludedBy}'` })
      continue
    }
    if (!container.include) {
      result.matches.push({ container: name, reason: reasonsOf(container).all })
      continue
    }
    const includedBy = container.include.find((glob) => matcherOf(container, glob)(file))
    if (includedBy) result.matches.push({ container: name, reason: reasonsOf(container).include.get(includedBy)! })
    else result.rejections.push({ container: name, reason: reasonsOf(container).notIncluded })
  }
  return result
}

// Compiling a glob costs far more than matching it; a plan matches each glob against every file. The compiled
// globs live as long as the container config they belong to.
const matchers = new WeakMap<ContainerConfig, Map<string, (file: string) => boolean>>()
function matcherOf(container: ContainerConfig, glob: string): (file: string) => boolean {
  let byGlob = matchers.get(container)
  if (!byGlob) matchers.set(container, (byGlob = new Map()))
  let match = byGlob.get(glob)
  if (!match) byGlob.set(glob, (match = micromatch.matcher(glob, { dot: true })))
  return match
}

// A container's reasons are the same for every file: built once per container, not once per file.
const reasons = new WeakMap<ContainerConfig, { all: string; include: Map<string, string>; notIncluded: string }>()
function reasonsOf(container: ContainerConfig) {
  let found = reasons.get(container)
  if (!found) {
    const except = container.exclude.length ? ` except ${container.exclude.map((g) => `'${g}'`).join(', ')}` : ''
    found = {
      all: `all files${except}`,
      include: new Map((container.include ?? []).map((glob) => [glob, `include '${glob}'`])),
      notIncluded: `not in include ${(container.include ?? []).map((g) => `'${g}'`).join(', ')}`,
    }
    reasons.set(container, found)
  }
  return found
}
