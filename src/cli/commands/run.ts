// `xtest run`: flags → one checked request (run/request.ts) → the pipeline (run/facade.ts) → the summary printed.
import path from 'node:path'
import { printable } from '../../core/printable.js'
import { loadRunSide, runRequest } from '../../run/facade.js'
import { lastShardWalls } from '../../run/last-walls.js'
import { removeRunContainers } from '../../run/maintenance.js'
import { toRunRequest } from '../../run/request.js'
import type { Output } from '../../shared/output.js'
import { watchInterrupts } from '../interrupt.js'
import { printSummary } from '../print-summary.js'
import { Progress } from '../progress.js'
import { type RunFlags, runInputOf } from '../request-input.js'

export type RunCommandOptions = RunFlags

/** `xtest run`: plan, run the selected shards, merge their JUnit, print the summary; exit code from the results. */
export async function runCommand(options: RunCommandOptions, out: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Warnings and notices are one line each, and quote file and test names: made printable as a whole.
  const warn = (line: string) => out.stderr.write(`xtest: warning: ${printable(line)}\n`)
  loadRunSide().catch(() => {}) // a failed load shows where runRequest awaits it
  // Every flag, the config and the report paths are checked here, before any file is discovered.
  const request = await toRunRequest(runInputOf(options, warn, env))
  const controller = new AbortController()
  let progress: Progress | undefined
  let runId: string | undefined
  const notice = (line: string) => {
    const text = printable(line.startsWith('xtest:') ? line : `xtest: ${line}`)
    if (progress) progress.notice(text)
    else out.stderr.write(`${text}\n`)
  }
  let unwatch = () => {}
  // Ctrl-C is watched from the moment the work is planned (before: Node's default, nothing to merge yet).
  const watch = () =>
    watchInterrupts(
      controller,
      async () => {
        notice('xtest: second interrupt: killing every container of this run')
        if (runId) await removeRunContainers(runId)
      },
      { onInterrupt: (cause) => notice(`xtest: ${cause}`) },
    )
  try {
    const done = await runRequest(request, {
      signal: controller.signal,
      onNotice: notice,
      onPlanned: (work) => {
        const { shards } = work.prepared.plan
        const lastWalls = lastShardWalls(path.resolve(request.config.root, request.config.outputDir), shards, work.timings)
        progress = new Progress(out, { mode: request.progress, planned: shards, timings: work.timings, lastWalls })
        unwatch = watch()
      },
      onShardStart: (spec) => {
        runId = spec.runId
        progress?.start(spec)
      },
      onShardEnd: (outcome) => progress?.end(outcome),
      onShardProgressFile: (spec, file) => progress?.progressFile(spec, file),
      onShardsDone: () => {
        progress?.stop()
        progress = undefined
      },
      onSummary: (summary) => printSummary(summary, out),
      onAnnotations: (commands) => out.commands(commands),
    })
    if (done.nothing) out.stderr.write(`xtest: ${done.nothing}\n`)
    return done.exitCode
  } finally {
    progress?.stop()
    unwatch()
  }
}
