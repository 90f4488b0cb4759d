// One seeded generator for the property tests: an LCG whose `random(seed)(n)` gives integers in [0, n), so a failing
// case is replayed from the seed its message names.
export function random(seed: number): (n: number) => number {
  let s = seed >>> 0
  return (n: number) => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s % n
  }
}
