// What a shard's progress.ndjson (core/progress.ts) says per planned file, so that a shard that died before writing
// its JUnit keeps the results it did finish and a timed-out one names the tests that were still running.
import { PROGRESS_FILE, PROGRESS_LIMITS, ProgressParser, ProgressReader, type ReadEvent, type TestState } from '../core/progress.js'
import { resolvePlannedFile } from './account.js'

export interface FileProgress {
  /** Tests of the shard's tier that Vitest collected in the file, when a `collected` event said so. */
  collected?: number
  /** Tests that finished, in the order they finished. */
  tests: Array<{ name: string; state: TestState }>
  /** The file's end state from its `done` event; absent while the file was still running. */
  done?: string
  /** Tests that started (`test-start`) and have no result yet: name → when it started (the shard's clock, ISO). */
  running?: Map<string, string>
}

export interface ProgressRecord {
  /** Planned file (relative to the config root) → what the progress log says about it. */
  files: Map<string, FileProgress>
  notes: string[]
}

/** Folds events into per-file records; events for files the shard was not given are ignored. */
function foldProgress(events: readonly ReadEvent[], bad: number, plannedFiles: readonly string[], workdir: string): ProgressRecord {
  const planned = new Set(plannedFiles)
  const files = new Map<string, FileProgress>()
  const notes: string[] = []
  let unknownFiles = 0
  for (const event of events) {
    if (event.event === 'run-start' || event.event === 'run-end') continue
    const file = resolvePlannedFile(event.file, planned, workdir)
    if (file === undefined) {
      unknownFiles++
      continue
    }
    const progress = files.get(file) ?? { tests: [] }
    files.set(file, progress)
    if (event.event === 'collected') progress.collected = event.tests
    else if (event.event === 'test') {
      progress.tests.push({ name: event.name, state: event.state })
      progress.running?.delete(event.name)
    } else if (event.event === 'test-start') {
      if (event.time !== undefined) (progress.running ??= new Map()).set(event.name, event.time)
    } else {
      progress.done = event.state
      progress.running?.clear()
    }
  }
  if (bad > 0) notes.push(`${PROGRESS_FILE}: ${bad} line(s) that are not a known event were ignored`)
  if (unknownFiles > 0) notes.push(`${PROGRESS_FILE}: ${unknownFiles} event(s) name a file the shard was not given; ignored`)
  return { files, notes }
}

/** Parses progress lines (the whole text) into per-file records. */
export function parseProgress(input: string, plannedFiles: readonly string[], workdir: string, limits = PROGRESS_LIMITS): ProgressRecord {
  const parser = new ProgressParser(limits)
  const record = foldProgress(parser.push(`${input}\n`), parser.bad, plannedFiles, workdir)
  return parser.problem === undefined ? record : { files: record.files, notes: [parser.problem, ...record.notes] }
}

/** Reads and parses a progress log; an absent or unusable one gives no files (and a note when it was unusable). */
export async function readProgress(
  path: string,
  plannedFiles: readonly string[],
  workdir: string,
  limits = PROGRESS_LIMITS,
): Promise<ProgressRecord> {
  const reader = new ProgressReader(path, limits)
  const record = foldProgress(reader.drain(), reader.bad, plannedFiles, workdir)
  return reader.problem === undefined ? record : { files: record.files, notes: [reader.problem, ...record.notes] }
}
