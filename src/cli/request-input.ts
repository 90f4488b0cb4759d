// The CLI's flag names → the request's fields (plan/request.ts, run/request.ts). cac's values go in as they are:
// the request checks them, so a flag and a library call's value are refused with the same line.
import type { PlanInput } from '../plan/request.js'
import type { RunInput } from '../run/request.js'

/** The options `xtest run` and `xtest plan` share for choosing the work. */
export interface WorkOptions {
  config?: string
  plan?: string
  container?: unknown
  tier?: unknown
  changed?: unknown
  shard?: unknown
  slices?: unknown
}

export interface RunFlags extends WorkOptions {
  all?: boolean
  bail?: boolean
  concurrency?: unknown
  runtime?: unknown
  passWithNoTests?: boolean
  junit?: string
  summary?: string
  progress?: unknown
  /** `--failed [REPORT]`: re-run only what failed in REPORT (default: the last merged report). */
  failed?: unknown
  /** `--no-cache` sets false: run every file (passing results are still stored). */
  cache?: boolean
  coverage?: boolean
  '--'?: string[]
}

type Loose<T> = { [K in keyof T]: never }

export function planInputOf(options: WorkOptions, warn: (line: string) => void): PlanInput {
  const { config, plan: planFile, container: containers, tier: tiers, changed, shard, slices } = options as Loose<WorkOptions>
  return { config, planFile, containers, tiers, changed, shard, slices, onWarning: warn }
}

export function runInputOf(options: RunFlags, warn: (line: string) => void, env: NodeJS.ProcessEnv): RunInput {
  const { all, bail, concurrency, runtime, passWithNoTests, junit, summary, progress, failed, cache, coverage } = options as Loose<RunFlags>
  return {
    ...planInputOf(options, warn),
    all,
    bail,
    concurrency,
    runtime,
    passWithNoTests,
    junit,
    summary,
    progress,
    failed,
    cache,
    coverage,
    vitestArgs: options['--'] ?? [],
    env,
  }
}
