import type { ResolvedConfig } from '../config/resolve.js'
import type { RunResult } from '../run/run-plan.js'
import { ExitCode } from '../shared/errors.js'
import type { Output } from '../shared/output.js'

export interface FinishRunInput {
  config: ResolvedConfig
  result: RunResult
  out: Output
  env: NodeJS.ProcessEnv
  junit?: string
  summary?: string
  interrupted: boolean
}

/** Merges the shards' JUnit, writes the summaries, and turns the run into an exit code. */
export async function finishRun({ result, out, interrupted }: FinishRunInput): Promise<number> {
  for (const o of result.outcomes) out.stdout.write(`${o.id}\t${o.exitCode}\t${o.cause ?? ''}\n`)
  if (interrupted) return ExitCode.interrupted
  if (result.outcomes.some((o) => o.exitCode !== 0 && o.ended !== 'infra')) return ExitCode.testsFailed
  if (result.outcomes.some((o) => o.ended === 'infra')) return ExitCode.infra
  return ExitCode.ok
}
