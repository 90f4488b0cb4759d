// progress.ndjson: one line per event, appended as it happens, so a crashed shard still shows which files finished.
import fs from 'node:fs'

export type ProgressEvent =
  | { event: 'run-start'; files: number }
  | { event: 'collected'; file: string; tests: number }
  | { event: 'test-start'; file: string; name: string }
  | { event: 'test'; file: string; name: string; state: string }
  | { event: 'done'; file: string; state: string }
  | { event: 'run-end'; reason: string }

export class ProgressLog {
  constructor(readonly path: string | null) {}

  write(event: ProgressEvent): void {
    if (!this.path) return
    // Synchronous on purpose: the line must be on disk before the process can die.
    fs.appendFileSync(this.path, `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`)
  }
}
