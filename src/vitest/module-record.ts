// A setup file the plugin adds inside a shard: after a test file's tests it notes every module the worker loaded
// (Vitest's own per-worker record of executed modules: relative imports at any depth, dynamic import() in a test
// body, packages loaded from node_modules) and what else the file depended on (input-record.ts: files read through
// fs, spawned processes, ...) in the file's task meta, for the reporter's modules.ndjson. The host keys its result
// cache by these files' contents. What a test file writes here is advisory: see docs/cache.md.
import { afterAll } from 'vitest'
import { inputRecordOf, installInputRecorder } from './input-record.js'
import { INPUTS_META, MODULES_META, toModulePaths } from './module-meta.js'

interface WorkerState {
  moduleExecutionInfo?: Map<string, unknown>
  evaluatedModules?: { fileToModulesMap?: Map<string, unknown> }
  config?: { isolate?: boolean }
}

/** Absolute file paths of the modules the worker has loaded (executed, or evaluated by Vite's module runner). */
export const loadedModules = (state: WorkerState | undefined): string[] =>
  toModulePaths([...(state?.moduleExecutionInfo?.keys() ?? []), ...(state?.evaluatedModules?.fileToModulesMap?.keys() ?? [])])

installInputRecorder()

// Vitest 4.1 and 5 pass hook context first (it must be destructured) and the file's suite second.
// biome-ignore lint/correctness/noEmptyPattern: Vitest parses a hook's first parameter and wants a pattern there
afterAll(({}, suite) => {
  const state = (globalThis as { __vitest_worker__?: WorkerState }).__vitest_worker__
  const meta = suite?.file?.meta as Record<string, unknown> | undefined
  if (!meta) return
  meta[MODULES_META] = loadedModules(state)
  const filepath = suite?.file?.filepath
  if (filepath) meta[INPUTS_META] = inputRecordOf(filepath, state?.config?.isolate !== false)
})
