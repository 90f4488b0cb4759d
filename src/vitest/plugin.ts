// The xtest Vitest plugin: declares the tier tags always; inside a shard it also adds the reporter and limits the
// run to the shard's files. Loaded by absolute path inside the shard: Node built-ins and relative imports only.
import path from 'node:path'
import type { Plugin, TestTagDefinition, ViteUserConfig } from 'vitest/config'
import type { Vitest } from 'vitest/node'
import { TIER_TAGS } from '../core/tiers.js'
import { type GlobalSetupProject, installInputRecorder } from './input-record.js'
import { moduleRecordConfig } from './module-list.js'
import XtestReporter, { XTEST_REPORTER } from './reporter.js'
import { shardCacheConfig } from './shard-cache.js'
import { readShardEnv, readShardFiles, readTierTimeouts } from './shard-env.js'
import { limitProjectsToFiles } from './shard-files.js'
import { runningVitestMajor } from './vitest-major.js'

const CONFIGURED = Symbol.for('xtest.configured')

/** The `slow` and `superslow` tags with their per-test timeouts, leaving out names the config already declares. */
export function tierTagsToDeclare(declared: readonly TestTagDefinition[] | undefined, env = process.env): TestTagDefinition[] {
  const taken = new Set((declared ?? []).map((tag) => tag.name))
  const timeouts = readTierTimeouts(env)
  return TIER_TAGS.filter((name) => !taken.has(name)).map((name) => ({
    name,
    description: `xtest tier ${name} (per-test timeout ${timeouts[name] / 1000} s)`,
    timeout: timeouts[name],
  }))
}

/**
 * The xtest plugin for `vitest.config.*`: `plugins: [xtest()]`. Adding it twice (you and `xtest run`) is harmless.
 * - always: declares the tier tags `slow` and `superslow` (unless your config declares them itself);
 * - with XTEST_SHARD_DIR (inside `xtest run`): adds the xtest reporter next to yours and runs only XTEST_FILES;
 *   where the shard cannot write node_modules, Vite's cache goes to a temp folder and Vitest's module cache is off.
 */
export function xtest(): Plugin {
  return {
    name: 'xtest',
    config(config) {
      const tags = tierTagsToDeclare(config.test?.tags)
      const inShard = readShardEnv().shardDir !== null
      if (inShard) carryIntoProjects(config, runningVitestMajor())
      const cache = inShard ? shardCacheConfig(config as Parameters<typeof shardCacheConfig>[0]) : undefined
      // The result cache needs each test file's modules (module-list.ts).
      const record = inShard ? moduleRecordConfig(config.test as Parameters<typeof moduleRecordConfig>[0]) : undefined
      // Vite appends a plugin's setupFiles to the user's; the recorder goes first, to see what their setup files read.
      if (record && config.test?.setupFiles !== undefined) {
        const own = config.test.setupFiles
        config.test.setupFiles = [...record.setupFiles, ...(Array.isArray(own) ? own : [own])]
        record.setupFiles = []
      }
      if (!tags.length && !cache && !record) return undefined
      return { ...(cache?.cacheDir && { cacheDir: cache.cacheDir }), test: { ...(tags.length && { tags }), ...cache?.test, ...record } }
    },
    configureVitest({ vitest }) {
      configureShard(vitest)
    },
  }
}

// Runs once per Vitest instance, however many projects carry the plugin.
function configureShard(vitest: Vitest): void {
  const marked = vitest as Vitest & { [CONFIGURED]?: true }
  if (marked[CONFIGURED]) return
  marked[CONFIGURED] = true
  const shard = readShardEnv()
  if (!shard.shardDir) return
  // NOTE: hooks run after Vitest resolved `reporters` (CLI `--reporter` replaces the config's list) and before it
  // creates them, so adding ours here survives `--reporter=verbose` and keeps the default reporter.
  // What globalSetup code reads or spawns in this process is an input of every file (module-list.ts's config line).
  installInputRecorder({ projects: vitest.projects as unknown as GlobalSetupProject[] })
  const reporters = vitest.config.reporters as unknown[]
  if (!reporters.some(isXtestReporter)) reporters.push(new XtestReporter())
  if (shard.filesPath) {
    const files = readShardFiles(shard.filesPath).map((file) => path.resolve(process.cwd(), file))
    limitProjectsToFiles(vitest.projects, files)
  }
}

function isXtestReporter(reporter: unknown): boolean {
  if (Array.isArray(reporter)) return reporter[0] === 'vitest-xtest/reporter'
  return typeof reporter === 'object' && reporter !== null && XTEST_REPORTER in reporter
}

/**
 * Whether an inline project inherits the root config's plugins: with `extends: true`, and on Vitest 5 (where inline
 * projects extend the root by default) with no `extends` at all. `extends: false` or a file path never does.
 */
export function inheritsRootPlugins(project: { extends?: unknown }, vitestMajor: number | null): boolean {
  return project.extends === true || (project.extends === undefined && vitestMajor !== null && vitestMajor >= 5)
}

// Projects that do not extend the root config do not get its plugins, and configureVitest only runs for plugins
// of projects. So those inline projects get the plugin too (adding it where the root's is inherited registers it twice
// and, on Vitest 5, stops the projects sharing one Vite server); if there are none to carry it, a project with no files does.
export function carryIntoProjects(config: ViteUserConfig, vitestMajor: number | null): void {
  const projects = config.test?.projects
  if (!Array.isArray(projects) || projects.length === 0) return
  let carried = false
  for (const project of projects) {
    if (typeof project !== 'object' || project === null || project instanceof Promise) continue
    carried = true
    if (inheritsRootPlugins(project as { extends?: unknown }, vitestMajor)) continue
    if (project.plugins?.some((plugin) => (plugin as { name?: unknown } | null)?.name === 'xtest')) continue
    project.plugins = [...(project.plugins ?? []), xtest()]
  }
  if (!carried) projects.push({ plugins: [xtest()], test: { name: 'xtest-reporter', include: [] } })
}
