// Writes the merged report to disk: the XML comes from the one writer (core/junit-write.ts, shared with the shard's
// reporter), streamed suite by suite through shared/write-output.ts (a temp file renamed over a regular file; a
// device or a pipe written in place; nothing else replaced).
import { renderJUnitChunks } from '../core/junit-write.js'
import { writeOutput } from '../shared/write-output.js'
import type { JUnitReport } from './types.js'

/** Writes the report to `path` (see writeOutput). Creates the folder. */
export async function writeJUnit(report: JUnitReport, path: string): Promise<void> {
  await writeOutput(path, renderJUnitChunks(report))
}
