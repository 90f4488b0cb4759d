// The shard's modules.ndjson: for each test file, the modules it loaded in this run (module-record.ts's list from
// the worker, plus the imports Vitest timed while collecting it), for the host's result cache. One JSON line per
// file: `{ "file": "<relative to the Vitest root>", "modules": ["/abs/path", ...], "complete": true }`. `complete`
// is false when the list may miss modules (the file's tests never ran and Vitest's import list was cut short).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestModule } from 'vitest/node'
import { MODULES_META, toModulePaths } from './module-meta.js'

/** What the plugin adds to a shard's Vitest config: the recording setup file, and an import list long enough. */
export function moduleRecordConfig(test: { experimental?: { importDurations?: { print?: unknown; limit?: number } } } | undefined) {
  const setupFile = fileURLToPath(new URL('./module-record.js', import.meta.url))
  const durations = test?.experimental?.importDurations
  // Vitest prints `limit` entries when `print` is on: then the user's limit stays, and a cut list is incomplete.
  const importDurations = durations?.print || durations?.limit !== undefined ? undefined : { limit: IMPORT_LIMIT }
  return { setupFiles: [setupFile], ...(importDurations && { experimental: { importDurations } }) }
}

const IMPORT_LIMIT = 100_000

export interface ModuleListLine {
  file: string
  modules: string[]
  complete: boolean
}

/** One file's line: the worker's record after its tests (complete) or, when no test ran, the imports of its collection. */
export function moduleListOf(module: TestModule, file: string): ModuleListLine {
  const recorded = (module.meta() as Record<string, unknown>)[MODULES_META]
  const timed = Object.keys(module.diagnostic?.().importDurations ?? {})
  const modules = toModulePaths([...(Array.isArray(recorded) ? recorded : []), ...timed]).sort()
  return { file, modules, complete: Array.isArray(recorded) || (timed.length > 0 && timed.length < IMPORT_LIMIT) }
}

/** Writes modules.ndjson beside junit.xml (a temp file, then a rename). */
export function writeModuleList(shardDir: string, lines: readonly ModuleListLine[]): void {
  const file = path.join(shardDir, 'modules.ndjson')
  const temp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temp, lines.map((line) => `${JSON.stringify(line)}\n`).join(''))
  fs.renameSync(temp, file)
}
