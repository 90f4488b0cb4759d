// The task meta key under which module-record.ts (a setup file, inside the worker) hands each test file's loaded
// modules to the reporter (module-list.ts, in Vitest's main process). Its own file: the setup file must never be
// loaded with the plugin (it registers a hook when imported).
export const MODULES_META = 'xtestModules'
/** The key for the file's other inputs (input-record.ts). */
export const INPUTS_META = 'xtestInputs'

/** Absolute file paths among module ids: no query, no built-in (`node:fs`), no virtual module (`\0...`, `virtual:`). */
export function toModulePaths(ids: Iterable<unknown>, max = 20_000): string[] {
  const found = new Set<string>()
  for (const id of ids) {
    if (typeof id !== 'string' || id.includes('\0')) continue
    const file = id.replace(/[?#].*$/, '')
    if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)) found.add(file)
    if (found.size >= max) break
  }
  return [...found]
}
