import type { Output } from '../../shared/output.js'
import { writeLine } from '../../shared/output.js'
import { loadConfig } from '../../config/load.js'
import { planProject } from '../../plan/plan-project.js'
import { selectShards } from '../../plan/plan.js'
import { ConfigError } from '../../shared/errors.js'
import { TIERS, type Plan } from '../../plan/types.js'
import { parseContainerOption, parseTierOption } from '../args.js'
import { formatTable } from '../table.js'

export interface PlanOptions {
  config?: string
  container?: unknown
  tier?: unknown
  json?: boolean
  files?: boolean
}

/** `xtest plan`: what would run where, and why. Exit 2 when the plan has errors (after showing it). */
export async function planCommand(options: PlanOptions, out: Output): Promise<number> {
  const config = await loadConfig({ configFile: options.config })
  const plan = await planProject(config)
  const containers = parseContainerOption(options.container, plan.containers)
  const tiers = parseTierOption(options.tier, [...TIERS])
  const narrowed: Plan = { ...plan, shards: selectShards(plan, containers, tiers) }
  if (options.json) writeLine(out.stdout, JSON.stringify(narrowed, null, 2))
  else if (options.files) writeLine(out.stdout, formatFiles(narrowed))
  else writeLine(out.stdout, formatShardTable(narrowed))
  for (const w of plan.warnings) writeLine(out.stderr, `xtest: warning: ${w.message}`)
  throwPlanErrors(plan)
  return 0
}

/** Plan errors stop a run: the first is the error line, the rest its hint. */
export function throwPlanErrors(plan: Plan): void {
  if (plan.errors.length === 0) return
  const [first, ...rest] = plan.errors
  throw new ConfigError(first!.message, first!.code as `XTEST_${string}`, {
    hint: rest.length ? rest.map((e) => e.message).join('\n') : undefined,
  })
}

function formatShardTable(plan: Plan): string {
  const rows = plan.shards.map((s) => [s.container, s.tier, String(s.files.length)])
  const total = plan.files.filter((f) => f.fate === 'assigned').length
  return `${formatTable(['container', 'tier', 'files'], rows)}\n${plan.shards.length} shards, ${total} of ${plan.files.length} test files assigned`
}

function formatFiles(plan: Plan): string {
  const selected = new Set(plan.shards.map((s) => s.id))
  const rows: string[][] = []
  for (const file of plan.files) {
    for (const a of file.assignments) {
      if (selected.has(`${a.container}.${a.tier}`)) rows.push([file.path, a.container, a.tier, a.reason])
    }
    if (file.problem && file.assignments.length === 0) rows.push([file.path, '-', '-', `${file.fate}: ${file.problem}`])
  }
  return formatTable(['file', 'container', 'tier', 'reason'], rows)
}
