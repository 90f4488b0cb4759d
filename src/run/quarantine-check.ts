// Warnings about the config's quarantine list before a run: entries past `until` (they no longer protect their test)
// and entries whose file is not a planned test file (after it: finish/steps/quarantine.ts).
import type { ResolvedConfig } from '../config/resolve.js'
import type { Plan } from '../plan/types.js'
import { isExpired, type QuarantineEntry, splitQuarantineTest, todayOf } from '../report/index.js'

export const quarantineOf = (config: ResolvedConfig): QuarantineEntry[] => (config as { quarantine?: QuarantineEntry[] }).quarantine ?? []

/** Before a run and in `xtest plan`: expired entries and entries naming no planned test file. */
export function checkQuarantine(config: ResolvedConfig, plan: Plan | undefined, now = new Date()): string[] {
  const today = todayOf(now)
  const files = plan && new Set(plan.files.map((file) => file.path))
  const lines: string[] = []
  for (const entry of quarantineOf(config)) {
    if (isExpired(entry, today))
      lines.push(`quarantine of '${entry.test}' expired on ${entry.until}: it no longer protects the test (renew or remove the entry)`)
    const file = splitQuarantineTest(entry.test)?.[0]
    if (files && file !== undefined && files.size > 0 && !files.has(file))
      lines.push(`quarantine entry '${entry.test}' matches no test: ${file} is not a test file of the plan`)
  }
  return lines
}
