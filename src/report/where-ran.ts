// Where a shard ran (the engine and its image, or the host and its Node), read back from its suites' properties so
// that `xtest run` and `xtest merge` of CI parts say the same; and the line for a container that skipped its image.
import { propertyOf } from './run-properties.js'
import type { ReportSuite } from './types.js'

export const FELL_BACK_IMAGE = 'fell_back_image'
export const FELL_BACK_REASON = 'fell_back_reason'
/** Only xtest writes these: a shard's own properties of the same names are dropped. */
export const WHERE_RAN_PROPERTIES = ['runtime', 'host_node', 'image', 'image_id', FELL_BACK_IMAGE, FELL_BACK_REASON] as const

/** A container whose config names an image, run on the host by `--runtime auto` (no engine answered). */
export interface HostFallback {
  container: string
  image: string
  node?: string
  reason: string
}

/**
 * `docker node:20`, `local`, `HOST v20.19.0, not node:24`; undefined when the suite does not say. Short: it is a
 * table cell (the host's Node of a local run is in the `host_node` property; a fallback's is worth the room).
 */
export function whereRan(suite: ReportSuite): string | undefined {
  const runtime = propertyOf(suite, 'runtime')
  if (runtime === undefined) return undefined
  const image = propertyOf(suite, 'image')
  if (runtime !== 'local') return image === undefined ? runtime : `${runtime} ${image}`
  const fellBack = propertyOf(suite, FELL_BACK_IMAGE)
  if (fellBack === undefined) return 'local'
  const node = propertyOf(suite, 'host_node')
  return `HOST${node ? ` ${node}` : ''}, not ${fellBack}`
}

/** The fallback a suite records, if its shard fell back to the host. */
export function fallbackOf(suite: ReportSuite, container: string): HostFallback | undefined {
  const image = propertyOf(suite, FELL_BACK_IMAGE)
  if (image === undefined) return undefined
  const node = propertyOf(suite, 'host_node')
  return { container, image, reason: propertyOf(suite, FELL_BACK_REASON) ?? 'no container engine answered', ...(node && { node }) }
}

/** `node24 ran on the host's Node v20.19.0, not in node:24 — no container engine answered at …`. */
export const describeFallback = (fallback: HostFallback): string =>
  `${fallback.container} ran on the host's ${fallback.node ? `Node ${fallback.node}` : 'Node'}, not in ${fallback.image} — ${fallback.reason}`

/** Adds `label` to `labels` once. */
export function addLabel(labels: string[], label: string | undefined): void {
  if (label !== undefined && !labels.includes(label)) labels.push(label)
}
