/** The public API of xtest. */
export { defineConfig } from './config/define.js'
export { loadConfig, findConfigFile } from './config/load.js'
export { resolveConfig, type ResolvedConfig } from './config/resolve.js'
export type { XtestConfig, ContainerConfig } from './config/schema.js'
export { createPlan } from './plan/plan.js'
export { planProject } from './plan/plan-project.js'
export type { Plan, Shard, PlannedFile, Assignment, Tier } from './plan/types.js'
export { TIERS } from './plan/types.js'
export type { ShardSpec, ShardOutcome, ShardStatus, Runtime } from './runtimes/runtime.js'
export { ExitCode, XtestError, ConfigError, InfraError } from './shared/errors.js'
export { importOrSkip, type ImportOrSkipOptions, type ImportOrSkipLoaderOptions } from './vitest/import-or-skip.js'
export type { RunOptions, RunResult } from './run/run-plan.js'

/** Runs a plan's shards (see `xtest run`). Loaded on first use, so importing xtest for importOrSkip stays light. */
export async function runPlan(options: import('./run/run-plan.js').RunOptions): Promise<import('./run/run-plan.js').RunResult> {
  return (await import('./run/run-plan.js')).runPlan(options)
}
export { mergeRun, mergeJUnitFiles, mergeJUnitFiles as mergeJUnit, readJUnit, exitCodeFor } from './report/index.js'
export type { RunSummary, ShardSummary, JUnitReport } from './report/index.js'
