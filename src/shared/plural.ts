// Counted nouns that read right: "1 shard", "2 shards", "0 files".

/** `plural(1, 'shard')` → `1 shard`; `plural(3, 'shard')` → `3 shards`; an irregular plural as the third argument. */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`
}
