// The overall bar and ETA of the live view, kept honest: each shard weighs what it took last time, a running shard's
// share only grows and stays below full until it ends, so the overall fraction never goes backwards; the ETA moves
// smoothly toward the rate-based estimate and never jumps by more than half of itself in one step.

/** A running shard counts at most this much of its share until it ends. */
const RUNNING_CAP = 0.95
/** Time constant of the ETA's exponential smoothing. */
const ETA_SMOOTHING_MS = 3000
/** Bounds of one step: at most this factor up or down from the previous ETA counted down. */
const ETA_STEP = 1.5

export class RunEstimate {
  private readonly weights = new Map<string, number>()
  private readonly fractions = new Map<string, number>()
  private shown = 0
  private eta: { ms: number; at: number } | undefined

  /** `weights`: each planned shard's expected time (any unit); one without a weight gets the median of the others. */
  constructor(weights: ReadonlyMap<string, number | undefined>) {
    const known = [...weights.values()].filter((ms): ms is number => ms !== undefined && ms > 0).sort((a, b) => a - b)
    const median = known[Math.floor(known.length / 2)] ?? 1
    for (const [id, ms] of weights) this.weights.set(id, ms !== undefined && ms > 0 ? ms : median)
  }

  /** A running shard's progress, 0..1 (by its tests, or by its time against the expected); it never goes down. */
  update(id: string, fraction: number): void {
    if (!this.weights.has(id)) this.weights.set(id, this.medianWeight())
    const capped = Math.min(RUNNING_CAP, Number.isFinite(fraction) ? fraction : 0)
    this.fractions.set(id, Math.max(this.fractions.get(id) ?? 0, capped))
  }

  finish(id: string): void {
    if (!this.weights.has(id)) this.weights.set(id, this.medianWeight())
    this.fractions.set(id, 1)
  }

  /** The overall fraction (never lower than the last one) and a smoothed ETA. */
  overall(elapsedMs: number, now: number): { fraction: number; etaMs?: number } {
    let sum = 0
    let done = 0
    for (const [id, weight] of this.weights) {
      sum += weight
      done += weight * (this.fractions.get(id) ?? 0)
    }
    // A shard nobody planned adds weight: the bar holds still rather than step back.
    this.shown = Math.max(this.shown, sum > 0 ? Math.min(1, done / sum) : 0)
    const raw = this.shown >= 0.02 && elapsedMs > 1000 ? (elapsedMs * (1 - this.shown)) / this.shown : undefined
    const etaMs = smoothEta(this.eta, raw, now)
    if (etaMs !== undefined) this.eta = { ms: etaMs, at: now }
    return etaMs === undefined ? { fraction: this.shown } : { fraction: this.shown, etaMs }
  }

  private medianWeight(): number {
    const sorted = [...this.weights.values()].sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)] ?? 1
  }
}

/** The next ETA: the last one counted down by the time passed, moved part of the way toward `raw`, within bounds. */
export function smoothEta(last: { ms: number; at: number } | undefined, raw: number | undefined, now: number): number | undefined {
  if (last === undefined) return raw
  const counted = Math.max(0, last.ms - Math.max(0, now - last.at))
  if (raw === undefined) return counted
  const step = 1 - Math.exp(-Math.max(0, now - last.at) / ETA_SMOOTHING_MS)
  const next = counted + step * (raw - counted)
  return Math.min(counted * ETA_STEP + 1000, Math.max(counted / ETA_STEP, next))
}
