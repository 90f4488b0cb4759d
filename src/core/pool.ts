// The one worker pool: at most `limit` calls in flight, taking items in input order, results in input order.
// The scheduler runs shards through it, the merge reads files through it.

/** Maps `items` with at most `limit` calls of `map` in flight; `results[i]` belongs to `items[i]`. */
export async function mapInPool<T, R>(items: readonly T[], limit: number, map: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) results[index] = await map(items[index]!, index)
  }
  await Promise.all(Array.from({ length: Math.max(0, Math.min(limit, items.length)) }, worker))
  return results
}
