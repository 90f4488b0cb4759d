// Sizes in the config ('512m', '4g', '1024' bytes): one parser for memory limits and the shard output bound.
export const SIZE_PATTERN = /^\d+(\.\d+)?[kmg]?b?$/i

/** Parses '512m', '4g', '1024' (bytes) into bytes; the text must match SIZE_PATTERN. */
export function parseSize(size: string): number {
  const m = size.toLowerCase().match(/^(\d+(?:\.\d+)?)([kmg]?)b?$/)!
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2] as '' | 'k' | 'm' | 'g']
  return Math.round(Number(m[1]) * unit)
}
