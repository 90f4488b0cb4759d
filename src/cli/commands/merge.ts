// `xtest merge FILES... -o OUT`: flags → one checked request (run/merge-request.ts) → merge() (run/facade.ts) → the
// summary printed, exactly as `xtest run`; exit code from the parts' results.
import { printable } from '../../core/printable.js'
import { mergeRequest } from '../../run/facade.js'
import { type MergeInput, toMergeRequest } from '../../run/merge-request.js'
import type { Output } from '../../shared/output.js'
import { printSummary } from '../print-summary.js'

export type MergeOptions = Omit<MergeInput, 'env' | 'onWarning'>

export async function mergeCommand(
  files: string[],
  options: MergeOptions,
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const warn = (line: string) => out.stderr.write(`xtest: warning: ${printable(line)}\n`)
  const request = await toMergeRequest(files, { ...options, env, onWarning: warn })
  const done = await mergeRequest(request, {
    onNotice: (line) => out.stderr.write(`${printable(`xtest: ${line}`)}\n`),
    onSummary: (merged) => printSummary(merged, out),
    onAnnotations: (commands) => out.commands(commands),
  })
  return done.exitCode
}
