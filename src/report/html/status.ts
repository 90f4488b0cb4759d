// How a status reads: a word and a symbol beside its colour, so colour is never the only signal.

const SYMBOLS: Record<string, string> = {
  passed: '✔',
  flaky: '⚠',
  'no-tests': '∅',
  failed: '✖',
  timeout: '⏱',
  oom: '☠',
  killed: '☠',
  infra: '⛔',
  interrupted: '⏸',
  'report-malformed': '?',
  error: '✖',
  skipped: '↷',
}

/** `✖ failed`. */
export const statusLabel = (status: string): string => `${SYMBOLS[status] ?? '•'} ${status}`

/** The worst of a cell's shard statuses decides its colour. */
export function worstStatus(statuses: readonly string[]): string {
  const order = ['infra', 'interrupted', 'report-malformed', 'oom', 'timeout', 'killed', 'failed', 'flaky', 'passed', 'no-tests']
  return [...statuses].sort((a, b) => rank(a, order) - rank(b, order))[0] ?? 'no-tests'
}

const rank = (status: string, order: readonly string[]): number => {
  const index = order.indexOf(status)
  return index === -1 ? order.length : index
}
