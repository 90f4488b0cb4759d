// The files a test file depends on by its static relative imports, as the host reads them (a shard cannot hide them).

/**
 * Every file reachable from `starts` through `readImports`, each once, breadth first, the starts first; at most `limit`.
 * A generator: the warm-up reads a slice at a time and resumes where it stopped.
 */
export function* importClosure(
  starts: Iterable<string>,
  readImports: (file: string) => string[],
  limit = Number.POSITIVE_INFINITY,
): Generator<string, void, undefined> {
  const queue = [...new Set(starts)].slice(0, limit)
  const seen = new Set(queue)
  for (let at = 0; at < queue.length; at++) {
    yield queue[at]!
    for (const next of readImports(queue[at]!))
      if (!seen.has(next) && seen.size < limit) {
        seen.add(next)
        queue.push(next)
      }
  }
}
