// `xtest plan`: shows what would run where and why, before any engine is called, so routing can be checked cheaply.
import path from 'node:path'
import type { ResolvedConfig } from '../../config/resolve.js'
import { printable, printableJson } from '../../core/printable.js'
import { resultKey } from '../../core/result-key.js'
import { describeChanged } from '../../plan/describe.js'
import { findDrift } from '../../plan/drift.js'
import { groupIssues } from '../../plan/group-issues.js'
import type { PreparedPlan } from '../../plan/prepare.js'
import type { Plan } from '../../plan/types.js'
import { chooseVitestConfig, configLookupNote } from '../../plan/vitest-config.js'
import { throwPlanErrors } from '../../plan/work.js'
import { planCacheStatus } from '../../run/cache/plan-cache.js'
import { plan as planWork } from '../../run/facade.js'
import { checkQuarantine } from '../../run/quarantine-check.js'
import { findRepoRoot } from '../../run/repo-root.js'
import { isRepoReadOnly } from '../../run/shard-specs.js'
import type { Output } from '../../shared/output.js'
import { writeLine } from '../../shared/output.js'
import { checkReportPath } from '../../shared/report-paths.js'
import { formatTable } from '../../shared/table.js'
import { formatDrift, formatParts } from '../format-scale.js'
import { formatFlaky, savePlan } from '../plan-extras.js'
import { planInputOf, type WorkOptions } from '../request-input.js'

export interface PlanOptions extends WorkOptions {
  json?: boolean
  files?: boolean
  drift?: boolean
  flaky?: boolean
  save?: string
}

/** `xtest plan`: what would run where, and why. Exit 2 when the plan has errors (after showing it). */
export async function planCommand(options: PlanOptions, out: Output): Promise<number> {
  const warn = (line: string) => writeLine(out.stderr, `xtest: warning: ${printable(line)}`)
  if (options.save) checkReportPath('--save', options.save)
  const {
    full: plan,
    prepared,
    timings,
    request: { config },
  } = await planWork(planInputOf(options, warn))
  const narrowed: Plan = prepared.plan
  // Indented for a person at a terminal; compact when piped (the same JSON, 40 % fewer bytes at 50,000 files).
  const indent = (out.stdout as NodeJS.WriteStream).isTTY ? 2 : undefined
  if (options.json) writeLine(out.stdout, printableJson(withScale(narrowed, prepared), indent))
  else if (options.drift) writeLine(out.stdout, formatDrift(findDrift(narrowed.shards, timings)))
  else if (options.flaky) writeLine(out.stdout, formatFlaky(config, warn))
  else if (options.files) writeLine(out.stdout, formatFiles(narrowed, await planCacheStatus(config, narrowed)))
  else writeLine(out.stdout, formatShardTable(narrowed))
  const part = prepared.shard
  if (!options.json && part && prepared.parts) writeLine(out.stdout, formatParts(prepared.parts, part, prepared))
  if (prepared.changed) writeLine(out.stderr, `xtest: ${describeChanged(prepared.changed, plan.files.length)}`)
  if (!options.json && plan.errors.length === 0) writeLine(out.stderr, `xtest: ${describeRepoMount(config, narrowed)}`)
  for (const line of groupIssues(plan.warnings)) writeLine(out.stderr, `xtest: warning: ${line}`)
  for (const line of checkQuarantine(config, plan)) warn(line)
  throwPlanErrors(plan)
  // Vitest 5 no longer looks for its config in parent folders: say where that changes what a shard runs with.
  const repoRoot = findRepoRoot(config.root)
  for (const [name, container] of Object.entries(config.containers)) {
    const note = container.vitestConfig === undefined && configLookupNote(name, path.resolve(config.root, container.workdir), repoRoot)
    if (note) warn(note)
  }
  if (!options.json) writeLine(out.stderr, `xtest: ${describeVitestConfigs(config, narrowed, repoRoot)}`)
  if (options.save)
    writeLine(out.stderr, `xtest: saved the plan to ${options.save} (plan ${(await savePlan(options.save, prepared.record)).slice(0, 19)})`)
  return 0
}

// Which Vitest config each container's shards load, and why: named (vitestConfig, -- --config) or found by Vitest's rule.
function describeVitestConfigs(config: ResolvedConfig, plan: Plan, repoRoot: string): string {
  const names = [...new Set(plan.shards.map((s) => s.container))]
  const each = names.map((name) => {
    const container = config.containers[name]!
    const file = chooseVitestConfig(container, config.root, repoRoot, name)
    const shown = file === null ? 'none' : path.relative(config.root, file) || file
    return `${name} ${shown}${container.vitestConfig === undefined ? (file === null ? '' : ' (found)') : ' (vitestConfig)'}`
  })
  return `Vitest config: ${each.join('; ')}`
}

// Which folder Docker shards see at /app and how: the project's repository or the top of its submodule chain.
function describeRepoMount(config: ResolvedConfig, plan: Plan): string {
  const docker = [...new Set(plan.shards.map((s) => s.container))].filter((name) => config.containers[name]?.runtime !== 'local')
  const modes = docker.map((name) => {
    const container = config.containers[name]!
    const mode = isRepoReadOnly(container, process.env) ? 'read-only' : 'writable'
    return `${name} ${mode}${container.writable.length && mode === 'read-only' ? ` (writable: ${container.writable.join(', ')})` : ''}`
  })
  return `docker shards see ${findRepoRoot(config.root)} at /app${modes.length ? `: ${modes.join('; ')}` : ''}; .git, node_modules, package.json and the xtest config read-only`
}

// `--json` with --shard / --changed: the plan plus what chose its shards (the plain plan is unchanged without them).
function withScale(plan: Plan, prepared: PreparedPlan): object {
  const part = prepared.shard
  return {
    ...plan,
    ...(part && { split: { index: part.index, count: part.count, hash: prepared.record.hash, parts: prepared.parts } }),
    ...(prepared.changed && {
      changed: { ref: prepared.changed.ref, files: prepared.changed.files, selected: Object.fromEntries(prepared.changed.reasons) },
    }),
  }
}

function formatShardTable(plan: Plan): string {
  const sliced = plan.shards.some((s) => s.slice !== undefined)
  const rows = plan.shards.map((s) => [s.container, s.tier, ...(sliced ? [String(s.slice ?? '-')] : []), String(s.files.length)])
  const total = plan.files.filter((f) => f.fate === 'assigned').length
  return `${formatTable(['container', 'tier', ...(sliced ? ['slice'] : []), 'files'], rows)}\n${plan.shards.length} shards, ${total} of ${plan.files.length} test files assigned`
}

function formatFiles(plan: Plan, cache: ReadonlyMap<string, string>): string {
  const selected = new Set(plan.shards.flatMap((s) => s.files.map((file) => resultKey(s.container, s.tier, file))))
  const rows: string[][] = []
  for (const file of plan.files) {
    for (const a of file.assignments) {
      const key = resultKey(a.container, a.tier, file.path)
      if (selected.has(key)) rows.push([file.path, a.container, a.tier, a.reason, cache.get(key) ?? '-'])
    }
    if (file.problem && file.assignments.length === 0) rows.push([file.path, '-', '-', `${file.fate}: ${file.problem}`, '-'])
  }
  return formatTable(['file', 'container', 'tier', 'reason', 'result cache'], rows)
}
