// The (container, tier, file) key: one test file as run in one container and tier. Timings are stored under it and
// the merged report names each file's suite with it, so both must spell it the same way.
/** One test file in one container and tier: what a result key names (`Tier` where the tier is checked). */
export interface ResultCell<T extends string = string> {
  container: string
  tier: T
  /** POSIX, relative to the config root. */
  file: string
}

export const resultKey = (container: string, tier: string, file: string): string => `${container}/${tier}/${file}`
