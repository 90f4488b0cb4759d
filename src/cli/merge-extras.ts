// What `xtest merge` adds: the plan to check the parts against (`--plan`, or the run folder plan.json whose hash the
// parts carry), the config's quarantine, and with `--timings` the flaky history next to the timings file.
import path from 'node:path'
import { findConfigFile, loadConfig } from '../config/load.js'
import type { ResolvedConfig } from '../config/resolve.js'
import type { JUnitReport, MergeFilesOptions, RunSummary } from '../report/index.js'
import { timingsPathOf } from '../store/timings.js'
import { recordHistory } from '../run/history-hook.js'
import { findMergePlan, readMergePlan } from './merge-plan-file.js'
import { quarantineOf, unmatchedQuarantine } from '../run/quarantine-check.js'

export interface MergeExtras {
  options: MergeFilesOptions
  /** The merged report, once the merge has made it (for the timings: the written file is never read back). */
  report(): JUnitReport | undefined
  after(summary: RunSummary): Promise<void>
  /** The folder the parts' file paths are relative to: the config's root, else here. */
  root: string
}

export async function mergeExtras(
  files: readonly string[],
  options: { config?: string; plan?: string; timings?: unknown },
  recordsTimings: boolean,
  warn: (line: string) => void,
): Promise<MergeExtras> {
  const config: ResolvedConfig | undefined =
    options.config !== undefined || findConfigFile(process.cwd()) !== null ? await loadConfig({ configFile: options.config }) : undefined
  const outputDirs = [path.resolve('.xtest'), ...(config ? [path.resolve(config.root, config.outputDir)] : [])]
  const dirs = [...new Set([process.cwd(), ...files.map((file) => path.dirname(path.resolve(file)))])]
  let report: JUnitReport | undefined
  let matched: ReadonlySet<number> = new Set()
  const merge: MergeFilesOptions = {
    quarantine: config ? quarantineOf(config) : [],
    findPlan: (hash) => findMergePlan(hash, outputDirs, dirs),
    onReport: (merged) => {
      report = merged
    },
    onQuarantine: (found) => {
      matched = found
    },
  }
  if (options.plan) merge.plan = readMergePlan(options.plan)
  return {
    options: merge,
    root: config?.root ?? process.cwd(),
    report: () => report,
    after: async (summary) => {
      if (report === undefined) return
      if (config) for (const line of unmatchedQuarantine(config, report, matched)) warn(line)
      if (!recordsTimings) return
      const timingsFile =
        typeof options.timings === 'string' && options.timings !== ''
          ? path.resolve(options.timings)
          : config
            ? timingsPathOf(config)
            : path.resolve('.xtest', 'timings.json')
      const flaky = await recordHistory(report, timingsFile, warn)
      if (flaky.length > 0) summary.flaky = flaky
    },
  }
}
