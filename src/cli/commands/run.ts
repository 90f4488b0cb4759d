import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../../config/load.js'
import { removeRunContainers } from '../../run/maintenance.js'
import { runPlan } from '../../run/run-plan.js'
import { createResultCache } from '../../run/cache/result-cache.js'
import { findRepoRoot } from '../../run/repo-root.js'
import type { Output } from '../../shared/output.js'
import { parseChoice, parsePositiveInt } from '../args.js'
import { watchInterrupts } from '../interrupt.js'
import type { WorkOptions } from '../prepare-work.js'
import { checkFolder, checkReportPath } from '../report-paths.js'
import { Progress, PROGRESS_MODES } from '../progress.js'
import { prepareRunWork } from '../run-work.js'

export interface RunCommandOptions extends WorkOptions {
  config?: string
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
  '--'?: string[]
}

/** `xtest run`: plan, run the selected shards, merge their JUnit, print the summary; exit code from the results. */
export async function runCommand(options: RunCommandOptions, out: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = await loadConfig({ configFile: options.config })
  const warn = (line: string) => out.stderr.write(`xtest: warning: ${line}\n`)
  const runtime = parseChoice('runtime', options.runtime, ['auto', 'docker', 'local'] as const, 'auto')
  const concurrency = parsePositiveInt('concurrency', options.concurrency) ?? os.availableParallelism()
  const progressMode = options.progress === undefined ? undefined : parseChoice('progress', options.progress, PROGRESS_MODES, 'plain')
  // Where the reports go, checked before any work: a device, a folder, a read-only disk fail now, in one line.
  const outputDir = path.resolve(config.root, config.outputDir)
  checkFolder(outputDir, `the output folder ${path.relative(process.cwd(), outputDir) || outputDir}`)
  checkReportPath('--junit', options.junit ?? path.join(outputDir, 'junit.xml'), 'replace')
  if (options.summary) checkReportPath('--summary', options.summary, 'write')
  const setup = await prepareRunWork(config, options, out, warn)
  if (!('work' in setup)) { out.stderr.write(`xtest: ${setup.nothing}\n`); return 0 }
  const { work, work: { prepared }, extras, argsFor } = setup

  // The result cache (issue 16): never for --failed, whose shards run only some tests of each file.
  const cache = argsFor ? undefined : createResultCache({ config, repoRoot: findRepoRoot(config.root), reuse: options.cache !== false, env })
  const controller = new AbortController()
  const progress = new Progress(out, { mode: progressMode, planned: prepared.plan.shards, timings: work.timings })
  let runId: string | undefined
  // The report side (XML parser, merge, summaries) loads while the first shard's container starts, not before.
  let finishing: Promise<typeof import('../finish-run.js')> | undefined
  const loadFinish = () => (finishing ??= import('../finish-run.js'))
  const unwatch = watchInterrupts(controller, async () => {
    progress.notice('xtest: second interrupt: killing every container of this run')
    if (runId) await removeRunContainers(runId)
  }, { onInterrupt: (cause) => progress.notice(`xtest: ${cause}`) })
  try {
    const result = await runPlan({
      config, plan: prepared.plan, runtime, concurrency,
      record: prepared.record,
      bail: Boolean(options.bail),
      vitestArgs: options['--'] ?? [],
      ...(argsFor && { argsFor }),
      signal: controller.signal,
      hostEnv: env,
      onNotice: (line) => progress.notice(line.startsWith('xtest:') ? line : `xtest: ${line}`),
      onShardStart: (spec) => { runId = spec.runId; progress.start(spec); void loadFinish() },
      onShardEnd: (outcome) => progress.end(outcome),
      onShardProgressFile: (spec, file) => progress.progressFile(spec, file),
      cache,
    })
    progress.stop()
    const { finishRun } = await loadFinish()
    return await finishRun({ config, plan: prepared.plan, result, out, env, junit: options.junit, summary: options.summary, interrupted: controller.signal.aborted, timings: work.timings, extras, cache })
  } finally {
    progress.stop()
    unwatch()
  }
}
