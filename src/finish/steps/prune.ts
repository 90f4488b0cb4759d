// Finish step: old run folders beyond the config's `keepRuns` are removed (`xtest run`).
import { pruneAfterRun } from '../../store/prune-runs.js'
import type { Finishing } from '../compose.js'

export function prune({ request: { run }, hooks }: Finishing): void {
  if (run) pruneAfterRun(run.prune, run.result.folder.runId, hooks.warn)
}
