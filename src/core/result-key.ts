// The (container, tier, file) key: one test file as run in one container and tier. Timings are stored under it and
// the merged report names each file's suite with it, so both must spell it the same way.
export const resultKey = (container: string, tier: string, file: string): string => `${container}/${tier}/${file}`
