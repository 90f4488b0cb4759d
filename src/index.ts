/** The public API of xtest. */
export { defineConfig } from './config/define.js'
export { findConfigFile, loadConfig } from './config/load.js'
export { type ResolvedConfig, resolveConfig } from './config/resolve.js'
export type { ContainerConfig, XtestConfig } from './config/schema.js'
export { ConfigError, EngineError, ERROR_CODES, InfraError, UsageError, XtestError, type XtestErrorCode } from './core/errors.js'
export { ExitCode } from './core/exit-codes.js'
export type { ShardOutcome, ShardSpec, ShardStatus } from './core/shard.js'
export type { Tier } from './core/tiers.js'
export { TIERS } from './core/tiers.js'
export { planProject } from './plan/io/plan-project.js'
export { createPlan } from './plan/plan.js'
export type { Assignment, Plan, PlannedFile, Shard } from './plan/types.js'
export type { RunOptions, RunResult } from './run/run-plan.js'
export type { Runtime } from './runtimes/runtime.js'
export { type ImportOrSkipLoaderOptions, type ImportOrSkipOptions, importOrSkip } from './vitest/import-or-skip.js'

// The pipeline (docs/internals.md): plan() and run() take plain values, check them as the CLI does (an XtestError
// with its exit code) and never print. Loaded on first use, so importing xtest for importOrSkip stays light.
type Facade = typeof import('./run/facade.js')

export type { FinishedRun } from './finish/compose.js'
export type { PlanInput } from './plan/request.js'
export type { MergeHooks, PlanResult, RunDone, RunHooks } from './run/facade.js'
export type { MergeInput } from './run/merge-request.js'
export type { RunInput } from './run/request.js'
export async function plan(...args: Parameters<Facade['plan']>): ReturnType<Facade['plan']> {
  return (await import('./run/facade.js')).plan(...args)
}
export async function run(...args: Parameters<Facade['run']>): ReturnType<Facade['run']> {
  return (await import('./run/facade.js')).run(...args)
}
export async function merge(...args: Parameters<Facade['merge']>): ReturnType<Facade['merge']> {
  return (await import('./run/facade.js')).merge(...args)
}

/** Runs a plan's shards as given (lower level than run(); kept for older callers). */
export async function runPlan(options: import('./run/run-plan.js').RunOptions): Promise<import('./run/run-plan.js').RunResult> {
  return (await import('./run/run-plan.js')).runPlan(options)
}
export { exitCodeFor } from './report/exit-code.js'

import type { RunSummary } from './report/index.js'

export type { Result } from './core/result.js'
export type { JUnitReport, ReadProblemKind, ReadResult, RunSummary, ShardSummary } from './report/index.js'

// The report side (the XML parser and writer) loads on first use too.
type Report = typeof import('./report/index.js')
export async function mergeRun(...args: Parameters<Report['mergeRun']>): Promise<RunSummary> {
  return (await (await import('./report/index.js')).mergeRun(...args)).summary
}
export async function mergeJUnitFiles(...args: Parameters<Report['mergeJUnitFiles']>): Promise<RunSummary> {
  return (await (await import('./report/index.js')).mergeJUnitFiles(...args)).summary
}
export { mergeJUnitFiles as mergeJUnit }
export async function readJUnit(...args: Parameters<Report['readJUnit']>): ReturnType<Report['readJUnit']> {
  return (await import('./report/index.js')).readJUnit(...args)
}

export type { ExecOptions, ExecResult } from './run/exec.js'
/** Runs one command (an argv array) in a container's image, as `xtest exec` does. Loaded on first use. */
export async function exec(options: import('./run/exec.js').ExecOptions): Promise<import('./run/exec.js').ExecResult> {
  return (await import('./run/exec.js')).exec(options)
}
