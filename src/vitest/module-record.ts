// A setup file the plugin adds inside a shard: after a test file's tests it notes every module the worker loaded
// (Vitest's own per-worker record of executed modules: relative imports at any depth, dynamic import() in a test
// body, packages loaded from node_modules) in the file's task meta, for the reporter's modules.ndjson. The host keys
// its result cache by these files' contents. What a test file writes here is advisory: see docs/cache.md.
import { afterAll } from 'vitest'

/** The task meta key holding the list. */
export const MODULES_META = 'xtestModules'
const MAX_MODULES = 20_000

interface WorkerState {
  moduleExecutionInfo?: Map<string, unknown>
  evaluatedModules?: { fileToModulesMap?: Map<string, unknown> }
}

/** Absolute file paths of the modules the worker has loaded, without queries, built-ins and virtual modules. */
export function loadedModules(state: WorkerState | undefined): string[] {
  const found = new Set<string>()
  for (const source of [state?.moduleExecutionInfo, state?.evaluatedModules?.fileToModulesMap]) {
    for (const id of source?.keys() ?? []) {
      if (typeof id !== 'string' || id.includes('\0')) continue
      const file = id.replace(/[?#].*$/, '')
      if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)) found.add(file)
      if (found.size >= MAX_MODULES) break
    }
  }
  return [...found]
}

// Vitest 4.1 and 5 pass hook context first (it must be destructured) and the file's suite second.
afterAll(({}, suite) => {
  const state = (globalThis as { __vitest_worker__?: WorkerState }).__vitest_worker__
  const meta = suite?.file?.meta as Record<string, unknown> | undefined
  if (meta) meta[MODULES_META] = loadedModules(state)
})
