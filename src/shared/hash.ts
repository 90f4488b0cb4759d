// Short stable hashes for labels and keys: one algorithm, so the same text always gives the same name.
import crypto from 'node:crypto'

/** A short, stable hash of a text (16 hex digits of SHA-256): labels, cache keys. */
export function hashText(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 16)
}
