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
    const excludedBy = container.exclude.find((glob) => matcher(glob)(file))
    if (excludedBy) { result.rejections.push({ container: name, reason: `exclude '${excludedBy}'` }); continue }
    if (!container.include) {
      const except = container.exclude.length ? ` except ${container.exclude.map((g) => `'${g}'`).join(', ')}` : ''
      result.matches.push({ container: name, reason: `all files${except}` })
      continue
    }
    const includedBy = container.include.find((glob) => matcher(glob)(file))
    if (includedBy) result.matches.push({ container: name, reason: `include '${includedBy}'` })
    else result.rejections.push({ container: name, reason: `not in include ${container.include.map((g) => `'${g}'`).join(', ')}` })
  }
  return result
}

// Compiling a glob costs far more than matching it; a plan matches each glob against every file.
const matchers = new Map<string, (file: string) => boolean>()
function matcher(glob: string): (file: string) => boolean {
  let match = matchers.get(glob)
  if (!match) matchers.set(glob, (match = micromatch.matcher(glob, { dot: true })))
  return match
}
