// Finish step: the files that passed go into the result cache (`xtest run`, unless interrupted).
import { storeResults as store } from '../../run/cache/store-results.js'
import type { Finishing } from '../compose.js'

export function storeResults({ request: { run }, report, hooks }: Finishing): void {
  if (!run?.cache) return
  if (!run.interrupted) store(run.cache, { runId: run.result.folder.runId, report, ...run.result })
  const corrupt = run.cache.corruptionWarning()
  if (corrupt) hooks.warn(corrupt)
}
