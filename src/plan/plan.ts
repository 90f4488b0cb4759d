// Config + test files → plan, as a pure function: every file's fate and the shards, testable without a disk.
import type { ResolvedConfig } from '../config/resolve.js'
import { shardId } from '../core/shard.js'
import { TIERS, type Tier } from '../core/tiers.js'
import { routeFile } from './route.js'
import type { SourceFacts } from './scan-source.js'
import { detectTiers } from './tier.js'
import type { Assignment, Plan, PlanIssue, PlanIssueCode, PlannedFile, Shard } from './types.js'

/** The project as found: its config, its test files and what each file says about itself. */
export interface ProjectFacts {
  config: ResolvedConfig
  /** Test files, POSIX, relative to config.root, sorted. */
  files: string[]
  /** Reads a file's facts (tags, pins); injected so the plan stays pure. */
  facts: (file: string) => SourceFacts
}

/** Config + file tree → plan. Pure: no containers, no process state. */
export function createPlan({ config, files, facts }: ProjectFacts): Plan {
  const containers = Object.keys(config.containers)
  const errors: PlanIssue[] = []
  const warnings: PlanIssue[] = []
  const memo = newMemo()
  const planned = files.map((file) => planFile(file, config, facts(file), memo))
  warnings.push(...unusedGlobs(config, planned))
  // Vitest exits 1 when it finds no test file; `xtest run` does too (unless --passWithNoTests), `xtest plan` warns.
  if (files.length === 0) {
    warnings.push({
      code: 'XTEST_NO_TEST_FILES',
      message: `no test files matched include ${config.include.map((glob) => `'${glob}'`).join(', ')} (relative to ${config.configPath ? 'the config file' : config.root})`,
    })
  }
  for (const file of planned) {
    if (!file.problem) continue
    const issue: PlanIssue = { code: memo.codes.get(file.path)!, message: `${file.path}: ${file.problem}`, file: file.path }
    const isWarning = file.fate === 'unassigned' && config.unassigned === 'warn'
    ;(isWarning ? warnings : errors).push(issue)
  }
  return {
    version: 1,
    root: config.root,
    configPath: config.configPath,
    containers,
    tiers: [...TIERS],
    shards: collectShards(planned, containers),
    files: planned,
    errors,
    warnings,
  }
}

function planFile(path: string, config: ResolvedConfig, facts: SourceFacts, memo: Memo): PlannedFile {
  const tierReasons = detectTiers(facts)
  const tiers = tiersOf(tierReasons)
  const route = routeFile(path, config.containers, facts.pins)
  const assignments = assignmentsOf(route.matches, tierReasons, memo)
  // A file with a problem: its fate, the problem in one line, and the issue code it will be reported under.
  const refuse = (fate: PlannedFile['fate'], code: PlanIssueCode, problem: string, kept: Assignment[] = []): PlannedFile => {
    memo.codes.set(path, code)
    return { path, tiers, fate, assignments: kept, problem }
  }
  if (route.unknownPins.length > 0) {
    const known = Object.keys(config.containers).join(', ')
    const pins = route.unknownPins.map((p) => `'${p}'`).join(', ')
    return refuse('error', 'XTEST_FILE_PIN_UNKNOWN', `@xtest-container names unknown container ${pins} (known: ${known})`)
  }
  if (route.matches.length === 0) {
    const why = route.rejections.map((r) => `${r.container}: ${r.reason}`).join('; ')
    const fix = "add it to a container's include or pin it with /** @xtest-container NAME */"
    return refuse('unassigned', 'XTEST_FILE_UNASSIGNED', `routed to no container (${why}); ${fix}`)
  }
  if (route.matches.length > 1 && config.overlap !== 'allow') {
    const which = route.matches.map((m) => `${m.container} (${m.reason})`).join(' and ')
    const fix = "narrow an include/exclude, pin it, or set overlap: 'allow'"
    return refuse('overlap', 'XTEST_FILE_OVERLAP', `routed to ${route.matches.length} containers: ${which}; ${fix}`, assignments)
  }
  const outside = route.matches.find((m) => !insideWorkdir(path, config.containers[m.container]!.workdir, memo))
  if (outside) {
    const where = `${outside.container} (${outside.reason}) but outside its workdir '${config.containers[outside.container]!.workdir}'`
    return refuse('error', 'XTEST_FILE_OUTSIDE_WORKDIR', `routed to container ${where}, where its Vitest runs`)
  }
  return { path, tiers, fate: 'assigned', assignments }
}

// What files of one plan share (workdir prefixes, assignment arrays, reason strings): made per plan, dropped with it.
interface Memo {
  workdirPrefixes: Map<string, string>
  assignments: Map<string, Assignment[]>
  reasons: Map<string, Map<string, string>>
  /** The issue code of each file with a problem, set where the problem is found. */
  codes: Map<string, PlanIssueCode>
}
const newMemo = (): Memo => ({ workdirPrefixes: new Map(), assignments: new Map(), reasons: new Map(), codes: new Map() })

function insideWorkdir(file: string, workdir: string, memo: Memo): boolean {
  let prefix = memo.workdirPrefixes.get(workdir)
  if (prefix === undefined) {
    const dir = workdir.replace(/^\.\/?/, '').replace(/\/+$/, '')
    memo.workdirPrefixes.set(workdir, (prefix = dir === '' ? '' : `${dir}/`))
  }
  return file.startsWith(prefix)
}

// Files with the same tags and routing share one (read-only) tiers array and one assignments array.
const tierArrays = new WeakMap<ReadonlyMap<Tier, string>, Tier[]>()
function tiersOf(tierReasons: ReadonlyMap<Tier, string>): Tier[] {
  let tiers = tierArrays.get(tierReasons)
  if (!tiers) tierArrays.set(tierReasons, (tiers = [...tierReasons.keys()]))
  return tiers
}

function assignmentsOf(matches: { container: string; reason: string }[], tierReasons: ReadonlyMap<Tier, string>, memo: Memo): Assignment[] {
  let key = ''
  for (const m of matches) key += `${m.container}\u0000${m.reason}\u0000`
  for (const [tier, reason] of tierReasons) key += `${tier}\u0000${reason}\u0000`
  let shared = memo.assignments.get(key)
  if (!shared) {
    shared = matches.flatMap((m) =>
      [...tierReasons].map(([tier, why]) => ({ container: m.container, tier, reason: joinReasons(m.reason, why, memo) })),
    )
    memo.assignments.set(key, shared)
  }
  return shared
}

// 50,000 files share a handful of reasons: one string each, not one per file.
function joinReasons(route: string, tier: string, memo: Memo): string {
  let byTier = memo.reasons.get(route)
  if (!byTier) memo.reasons.set(route, (byTier = new Map()))
  let reason = byTier.get(tier)
  if (reason === undefined) byTier.set(tier, (reason = `${route}; ${tier}`))
  return reason
}

// A container include glob that takes no file is almost always a typo: say so, without failing.
function unusedGlobs(config: ResolvedConfig, files: PlannedFile[]): PlanIssue[] {
  const issues: PlanIssue[] = []
  for (const [name, container] of Object.entries(config.containers)) {
    for (const [index, glob] of (container.include ?? []).entries()) {
      if (files.some((f) => f.assignments.some((a) => a.container === name && a.reason.startsWith(`include '${glob}'`)))) continue
      issues.push({
        code: 'XTEST_GLOB_UNUSED',
        message: `containers.${name}.include[${index}]: '${glob}' matches no test file`,
        container: name,
      })
    }
  }
  return issues
}

// Shards in a stable order: tier first (fast before slow before superslow), then container order.
function collectShards(files: PlannedFile[], containers: string[]): Shard[] {
  const byKey = new Map<string, Shard>()
  for (const tier of TIERS) {
    for (const container of containers) byKey.set(shardId(container, tier), { id: shardId(container, tier), container, tier, files: [] })
  }
  for (const file of files) {
    if (file.fate !== 'assigned' && file.fate !== 'overlap') continue
    for (const a of file.assignments) byKey.get(shardId(a.container, a.tier))!.files.push(file.path)
  }
  return [...byKey.values()].filter((shard) => shard.files.length > 0)
}

/** Narrows a plan to some containers and tiers (the CLI's --container / --tier). */
export function selectShards(plan: Plan, containers: string[] | undefined, tiers: Tier[]): Shard[] {
  return plan.shards.filter((s) => (!containers?.length || containers.includes(s.container)) && tiers.includes(s.tier))
}
