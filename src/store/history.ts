// `.xtest/history.json`, next to timings.json: each test's recent outcomes, run after run, so that a test that
// sometimes fails (or passes only on retry) shows up with a flake rate. Bounded: a window of outcomes per test, a
// number of tests (least recently seen dropped first) and a byte size. Written under a lock (read, merge, rename),
// like timings.json; a corrupt file is a warning and a fresh start, never a failed run.
import crypto from 'node:crypto'
import path from 'node:path'
import { fail, ok, parseJson, type Result } from '../core/result.js'
import { readStored, underLock, writeStored } from './files.js'

/** P passed, F failed (or error), R passed on retry (flaky), S skipped. */
export type Outcome = 'P' | 'F' | 'R' | 'S'

interface HistoryEntry {
  /** Recent outcomes, oldest first, at most `window`. */
  o: string
  /** When last seen, epoch seconds. */
  t: number
}

export interface History {
  version: 1
  updatedAt: string
  /** Runs recorded so far. */
  runs: number
  tests: Record<string, HistoryEntry>
}

export interface HistoryLimits {
  window: number
  maxTests: number
  maxBytes: number
  maxKeyBytes: number
}

export const HISTORY_LIMITS: HistoryLimits = { window: 20, maxTests: 5000, maxBytes: 2 * 1024 * 1024, maxKeyBytes: 300 }

const WORSE: Record<Outcome, number> = { F: 3, R: 2, P: 1, S: 0 }
const OUTCOMES = /^[PFRS]*$/

export const emptyHistory = (): History => ({ version: 1, updatedAt: new Date(0).toISOString(), runs: 0, tests: Object.create(null) })

/** `history.json` next to a timings file. */
export const historyPathOf = (timingsFile: string): string => path.join(path.dirname(timingsFile), 'history.json')

/** A key of bounded size: a long test name keeps its head and a hash of the whole. */
export function historyKey(test: string, maxKeyBytes = HISTORY_LIMITS.maxKeyBytes): string {
  if (Buffer.byteLength(test) <= maxKeyBytes) return test
  const hash = crypto.createHash('sha256').update(test).digest('hex').slice(0, 16)
  let head = test.slice(0, Math.floor((maxKeyBytes - 20) / 4))
  while (Buffer.byteLength(head) > maxKeyBytes - 20) head = head.slice(0, -1)
  return `${head}…#${hash}`
}

/** Adds one outcome for a test in this run; repeats of one name in a run keep the worst. */
export function addOutcome(run: Map<string, Outcome>, test: string, outcome: Outcome): void {
  const key = historyKey(test)
  const before = run.get(key)
  if (before === undefined || WORSE[outcome] > WORSE[before]) run.set(key, outcome)
}

/** Folds one run's outcomes in (mutates and returns `history`), then applies the limits. */
export function mergeHistory(
  history: History,
  run: ReadonlyMap<string, Outcome>,
  now: Date,
  limits: HistoryLimits = HISTORY_LIMITS,
): History {
  const t = Math.floor(now.getTime() / 1000)
  for (const [key, outcome] of run) {
    const before = history.tests[key]?.o ?? ''
    history.tests[key] = { o: (before + outcome).slice(-limits.window), t }
  }
  history.runs += 1
  history.updatedAt = now.toISOString()
  const keys = Object.keys(history.tests)
  // Dropped in batches (down to 90 %), so that a full history does not sort itself on every run.
  if (keys.length > limits.maxTests) dropOldest(history, keys.length - Math.floor(limits.maxTests * 0.9))
  return history
}

function dropOldest(history: History, count: number): void {
  const oldest = Object.entries(history.tests)
    .sort(([ka, a], [kb, b]) => a.t - b.t || (ka < kb ? -1 : 1))
    .slice(0, count)
  for (const [key] of oldest) delete history.tests[key]
}

/** The file's text, under `maxBytes` (the least recently seen tests go first when it is not). */
export function serializeHistory(history: History, limits: HistoryLimits = HISTORY_LIMITS): string {
  for (;;) {
    const text = `${JSON.stringify(history)}\n`
    const count = Object.keys(history.tests).length
    if (Buffer.byteLength(text) <= limits.maxBytes || count === 0) return text
    dropOldest(history, Math.max(1, Math.ceil(count / 10)))
  }
}

/** Parses the file's text; invalid entries are left out, a file that is not a history is a problem (one line). */
export function parseHistory(text: string, limits: HistoryLimits = HISTORY_LIMITS): Result<History> {
  const json = parseJson(text)
  if (!json.ok) return json
  const record = json.value as Partial<History> | null
  if (typeof record !== 'object' || record === null || record.version !== 1 || typeof record.tests !== 'object' || record.tests === null) {
    return fail('not a version 1 history file')
  }
  const history = emptyHistory()
  history.runs = Number.isSafeInteger(record.runs) && record.runs! >= 0 ? record.runs! : 0
  if (typeof record.updatedAt === 'string') history.updatedAt = record.updatedAt.slice(0, 40)
  for (const [key, entry] of Object.entries(record.tests).slice(0, limits.maxTests)) {
    const e = entry as Partial<HistoryEntry> | null
    if (Buffer.byteLength(key) > limits.maxKeyBytes || typeof e !== 'object' || e === null) continue
    if (typeof e.o !== 'string' || e.o.length > limits.window || !OUTCOMES.test(e.o) || !Number.isFinite(e.t)) continue
    history.tests[key] = { o: e.o, t: e.t! }
  }
  return ok(history)
}

/** Reads the history; missing → empty, corrupt → empty plus a warning. */
export function loadHistory(file: string, warn: (line: string) => void = () => {}): History {
  const read = readStored(file, HISTORY_LIMITS.maxBytes * 4)
  if (!read.ok) warn(`cannot read ${file} (${read.message}); starting a fresh history`)
  if (!read.ok || read.value === undefined) return emptyHistory()
  const parsed = parseHistory(read.value)
  if (parsed.ok) return parsed.value
  warn(`${file} is corrupt (${parsed.message}); starting a fresh history`)
  return emptyHistory()
}

/** Appends one run under the lock (read, merge, temp file, rename). Returns the history as written. */
export async function appendHistory(
  file: string,
  run: ReadonlyMap<string, Outcome>,
  options: { now?: Date; warn?: (line: string) => void; limits?: HistoryLimits } = {},
): Promise<History> {
  const warn = options.warn ?? (() => {})
  return underLock(file, 'recording the history', warn, {}, () => {
    const history = mergeHistory(loadHistory(file, warn), run, options.now ?? new Date(), options.limits)
    writeStored(file, serializeHistory(history, options.limits))
    return history
  })
}
