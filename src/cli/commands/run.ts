import os from 'node:os'
import { loadConfig } from '../../config/load.js'
import { planProject } from '../../plan/plan-project.js'
import { TIERS } from '../../plan/types.js'
import { createEngine } from '../../runtimes/engine.js'
import { cleanLeftovers } from '../../run/clean.js'
import { runPlan } from '../../run/run-plan.js'
import type { Output } from '../../shared/output.js'
import { parseChoice, parseContainerOption, parsePositiveInt, parseTierOption } from '../args.js'
import { watchInterrupts } from '../interrupt.js'
import { Progress } from '../progress.js'
import { finishRun } from '../finish-run.js'
import { throwPlanErrors } from './plan.js'

export interface RunCommandOptions {
  config?: string
  all?: boolean
  container?: unknown
  tier?: unknown
  bail?: boolean
  concurrency?: unknown
  runtime?: unknown
  junit?: string
  summary?: string
  '--'?: string[]
}

/** `xtest run`: plan, run the selected shards, merge their JUnit, print the summary; exit code from the results. */
export async function runCommand(options: RunCommandOptions, out: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = await loadConfig({ configFile: options.config })
  const plan = await planProject(config)
  const containers = parseContainerOption(options.container, plan.containers)
  const tiers = parseTierOption(options.tier, options.all ? [...TIERS] : ['fast'])
  const runtime = parseChoice('runtime', options.runtime, ['auto', 'docker', 'local'] as const, 'auto')
  const concurrency = parsePositiveInt('concurrency', options.concurrency) ?? os.availableParallelism()
  for (const w of plan.warnings) out.stderr.write(`xtest: warning: ${w.message}\n`)
  throwPlanErrors(plan)

  const controller = new AbortController()
  const progress = new Progress(out)
  let runId: string | undefined
  const unwatch = watchInterrupts(controller, async () => {
    progress.notice('xtest: second interrupt: killing every container of this run')
    if (runId) await cleanLeftovers(createEngine(), { runId }).catch(() => {})
  })
  try {
    const result = await runPlan({
      config, plan, containers, tiers, runtime, concurrency,
      bail: Boolean(options.bail),
      vitestArgs: options['--'] ?? [],
      signal: controller.signal,
      hostEnv: env,
      onNotice: (line) => progress.notice(line.startsWith('xtest:') ? line : `xtest: ${line}`),
      onShardStart: (spec) => { runId = spec.runId; progress.start(spec) },
      onShardEnd: (outcome) => progress.end(outcome),
    })
    progress.stop()
    return await finishRun({ config, plan, result, out, env, junit: options.junit, summary: options.summary, interrupted: controller.signal.aborted })
  } finally {
    progress.stop()
    unwatch()
  }
}
