// progress.ndjson (its events: core/progress.ts): one line per event, appended as it happens, so a crashed shard still
// shows which files finished.
import fs from 'node:fs'
import type { ProgressEvent } from '../core/progress.js'

export class ProgressLog {
  constructor(readonly path: string | null) {}

  write(event: ProgressEvent): void {
    if (!this.path) return
    // Synchronous on purpose: the line must be on disk before the process can die.
    fs.appendFileSync(this.path, `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`)
  }
}
