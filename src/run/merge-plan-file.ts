// The plan `xtest merge` checks the parts against: `--plan FILE`, or the run folder plan.json whose hash the parts
// carry. Plan files are data from other machines: size-capped, parsed, and their hash checked against their content.
import fs from 'node:fs'
import path from 'node:path'
import { ConfigError } from '../core/errors.js'
import { fail, ok, type Result } from '../core/result.js'
import { parsePlanRecord } from '../plan/plan-record.js'
import type { MergePlan } from '../report/index.js'

const MAX_PLAN_BYTES = 256 * 1024 * 1024
const MAX_CANDIDATES = 2000

/** `--plan FILE` of `xtest merge`. */
export function readMergePlan(file: string): MergePlan {
  const parsed = parseMergePlan(path.resolve(file))
  if (!parsed.ok) throw new ConfigError(`--plan ${file}: ${parsed.message}`, 'XTEST_PLAN_FILE')
  return { ...parsed.value, source: file }
}

/** The first plan.json among the usual places whose hash is `hash`: run folders under `outputDirs`, and `dirs`. */
export function findMergePlan(hash: string, outputDirs: readonly string[], dirs: readonly string[]): MergePlan | undefined {
  const candidates = new Set<string>()
  for (const out of outputDirs) {
    let runs: string[] = []
    try {
      runs = fs.readdirSync(path.join(out, 'runs'))
    } catch {
      /* none */
    }
    for (const run of runs.sort().reverse()) candidates.add(path.join(out, 'runs', run, 'plan.json'))
  }
  for (const dir of dirs) candidates.add(path.join(dir, 'plan.json'))
  for (const file of [...candidates].slice(0, MAX_CANDIDATES)) {
    if (!startsWithHash(file, hash)) continue
    const parsed = parseMergePlan(file)
    if (parsed.ok && parsed.value.hash === hash) return parsed.value
  }
  return undefined
}

// plan.json holds its hash near the top: a cheap look before parsing a large file.
function startsWithHash(file: string, hash: string): boolean {
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW)
    try {
      const head = Buffer.alloc(4096)
      const n = fs.readSync(fd, head, 0, head.length, 0)
      return head.subarray(0, n).toString('utf8').includes(JSON.stringify(hash))
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return false
  }
}

function parseMergePlan(file: string): Result<MergePlan> {
  let text: string
  try {
    const info = fs.statSync(file)
    if (!info.isFile()) return fail('not a regular file')
    if (info.size > MAX_PLAN_BYTES) return fail(`${info.size} bytes is over the limit of ${MAX_PLAN_BYTES}`)
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    return fail(`cannot read it (${(error as Error).message})`)
  }
  const parsed = parsePlanRecord(text)
  if (!parsed.ok) return parsed
  const { hash, plan: recorded, weights } = parsed.value
  if (hash === undefined) return fail("has no hash (use a run folder's plan.json or one written by xtest plan --save)")
  const count = (JSON.parse(text) as { shard?: { count?: unknown } }).shard?.count
  const plan: MergePlan = { source: file, hash, shards: recorded.shards }
  if (weights) plan.weights = weights
  if (typeof count === 'number' && Number.isInteger(count) && count >= 1 && count <= 10_000) plan.count = count
  return ok(plan)
}
