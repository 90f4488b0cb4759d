// Durations as users write them (`30s`, `1h30m`) and as xtest prints them, in one format everywhere.
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Parses `500ms`, `30s`, `10m`, `1h`, `1h30m` or a number of milliseconds. Returns null when malformed. */
export function parseDuration(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : null
  const text = value.trim()
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return null
  let total = 0
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(amount) * UNITS[unit!]!
  return total > 0 ? total : null
}

/** `850ms`, `12.3s`, `4m05s`, `1h02m`; `gap` goes between the units (the summary tables use a space). */
export function formatDuration(ms: number, gap = ''): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`
  const whole = Math.round(ms / 1000)
  if (whole < 3600) return `${Math.floor(whole / 60)}m${gap}${String(whole % 60).padStart(2, '0')}s`
  return `${Math.floor(whole / 3600)}h${gap}${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`
}
