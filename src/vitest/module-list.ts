// The shard's modules.ndjson: for each test file, the modules it loaded in this run (module-record.ts's list from
// the worker, plus the imports Vitest timed while collecting it), for the host's result cache. One JSON line per
// file: `{ "file": "<relative to the Vitest root>", "modules": ["/abs/path", ...], "complete": true }`. `complete`
// is false when the list may miss modules (the file's tests never ran and Vitest's import list was cut short).
// `reads`, `lists`, `stats` and `opaque` are input-record.ts's record of the file. One more line per shard,
// `{ "config": ... }`, names what Vitest's main process loads for every file: env files and globalSetup files.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestModule } from 'vitest/node'
import { globalSetupRecord, type InputRecord } from './input-record.js'
import { INPUTS_META, MODULES_META, toModulePaths } from './module-meta.js'

/** What the plugin adds to a shard's Vitest config: the recording setup file, and an import list long enough. */
export function moduleRecordConfig(test: { experimental?: { importDurations?: { print?: unknown; limit?: number } } } | undefined) {
  const setupFile = fileURLToPath(new URL('./module-record.js', import.meta.url))
  const durations = test?.experimental?.importDurations
  // Vitest prints `limit` entries when `print` is on: then the user's limit stays, and a cut list is incomplete.
  const importDurations = durations?.print || durations?.limit !== undefined ? undefined : { limit: IMPORT_LIMIT }
  return { setupFiles: [setupFile], ...(importDurations && { experimental: { importDurations } }) }
}

const IMPORT_LIMIT = 100_000

export interface ModuleListLine extends InputRecord {
  file: string
  modules: string[]
  complete: boolean
}

/** What Vitest's main process loads for every file of the shard: env files (present or not) and globalSetup files. */
export interface ConfigInputsLine {
  /** With what globalSetup code did in the main process (input-record.ts). */
  config: { envFiles: string[]; globalSetup: string[] } & InputRecord
}

interface ProjectLike {
  config: { globalSetup?: unknown; root?: string }
  vite?: { config?: { envDir?: string | false; mode?: string } }
}

/** The config line, from each project: the env files Vite reads for its mode, and its globalSetup files. */
export function configInputsOf(projects: readonly ProjectLike[]): ConfigInputsLine {
  const envFiles = new Set<string>()
  const globalSetup = new Set<string>()
  for (const project of projects) {
    // Vite's default envDir is the root; without Vite's resolved config, the root's files are what it would read.
    const vite = project.vite?.config
    const envDir = vite ? vite.envDir : project.config.root
    if (typeof envDir === 'string') {
      const mode = vite?.mode ?? 'test'
      for (const name of ['.env', '.env.local', `.env.${mode}`, `.env.${mode}.local`]) envFiles.add(path.join(envDir, name))
    }
    const setups = project.config.globalSetup
    for (const file of Array.isArray(setups) ? setups : typeof setups === 'string' ? [setups] : [])
      if (typeof file === 'string') globalSetup.add(file)
  }
  const done = globalSetupRecord() ?? { reads: [], lists: [], stats: [], opaque: [] }
  return { config: { envFiles: [...envFiles].sort(), globalSetup: [...globalSetup].sort(), ...done } }
}

/** One file's line: the worker's record after its tests (complete) or, when no test ran, the imports of its collection. */
export function moduleListOf(module: TestModule, file: string): ModuleListLine {
  const recorded = (module.meta() as Record<string, unknown>)[MODULES_META]
  const timed = Object.keys(module.diagnostic?.().importDurations ?? {})
  const modules = toModulePaths([...(Array.isArray(recorded) ? recorded : []), ...timed]).sort()
  const inputs = (module.meta() as Record<string, unknown>)[INPUTS_META] as InputRecord | undefined
  // No test ran (all skipped, or collection failed): what it read while importing was not handed over.
  const record = inputs ?? { reads: [], lists: [], stats: [], opaque: ['no test of it ran, so what it read was not recorded'] }
  return { file, modules, complete: Array.isArray(recorded) || (timed.length > 0 && timed.length < IMPORT_LIMIT), ...record }
}

/** Writes modules.ndjson beside junit.xml (a temp file, then a rename). */
export function writeModuleList(shardDir: string, lines: ReadonlyArray<ModuleListLine | ConfigInputsLine>): void {
  const file = path.join(shardDir, 'modules.ndjson')
  const temp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temp, lines.map((line) => `${JSON.stringify(line)}\n`).join(''))
  fs.renameSync(temp, file)
}
