import { describe, expect, test } from 'vitest'
import { listWork, type Weights } from '../../src/plan/balance.js'
import { placeFailed } from '../../src/plan/failed.js'
import { splitShards } from '../../src/plan/shard-split.js'
import type { Shard } from '../../src/plan/types.js'
import { failedCells } from '../../src/report/failed-cells.js'
import { exitCodeFor, type JUnitReport, type MergePlan, mergeParts, type ReportSuite, summarizeReport } from '../../src/report/index.js'
import { salvageFile } from '../../src/report/salvage.js'
import { SALVAGED } from '../../src/report/salvaged-suites.js'
import { synthesizeNotRerun } from '../../src/report/synthesize.js'
import { random } from '../helpers/random.js'

// The rule every shortcut keeps: its verdict is never greener than running every planned file. The truth is what
// running each planned (container, tier, file) gives (pass or fail). Random plans are split into parts; parts go
// missing, shards crash and their tests forge progress (salvage), parts carry suites for files they do not own;
// the merged verdict may be green only when every file is known to pass. Then `--failed` runs against a plan where
// files were renamed and tiers filtered out: the retried verdict may be green only when every file that was not a
// known pass was re-run and passed.
const TIERS = ['fast', 'slow'] as const

function randomPlan(pick: (n: number) => number, count: number): MergePlan {
  const shards: Shard[] = []
  const weights: Weights = {}
  for (const container of ['amp', 'opt'].slice(0, 1 + pick(2))) {
    for (const tier of TIERS.slice(0, 1 + pick(2))) {
      const files = Array.from({ length: 1 + pick(5) }, (_, i) => `src/${container}/${tier}/f${i}.test.ts`)
      shards.push({ id: `${container}.${tier}`, container, tier, files })
      for (const file of files) weights[`${container}/${tier}/${file}`] = 100 * (1 + pick(50))
    }
  }
  return { source: 'plan.json', hash: `sha256:${'c'.repeat(64)}`, shards, weights, count }
}

type Item = ReturnType<typeof listWork>[number]

const fileSuite = (item: Item, props: Array<[string, string]>, cases: ReportSuite['cases']): ReportSuite => ({
  name: item.key,
  file: item.file,
  time: 0.1,
  properties: [['container', item.container], ['tier', item.tier], ...props].map(([name, value]) => ({ name: name!, value: value! })),
  cases,
})

const result = (item: Item, pass: boolean, name = 'works'): ReportSuite['cases'][number] => ({
  classname: item.file,
  name,
  time: 0.1,
  result: pass ? 'passed' : 'failed',
  properties: [],
  ...(!pass && { fault: { message: 'no', type: 'AssertionError', body: '' } }),
})

const error = (classname: string, kind: string): ReportSuite['cases'][number] => ({
  classname,
  name: `[xtest] ${kind}`,
  time: 0,
  result: 'error',
  properties: [],
  fault: { message: kind, type: `xtest.${kind}`, body: '' },
})

interface Scenario {
  plan: MergePlan
  truth: Map<string, boolean>
  /** Keys a part reported from a real, finished run of the file (so the result is the truth). */
  known: Set<string>
  parts: Array<{ path: string; report: JUnitReport }>
}

function scenario(pick: (n: number) => number): Scenario {
  const count = 1 + pick(4)
  const plan = randomPlan(pick, count)
  const all = listWork(plan.shards)
  const truth = new Map(all.map((item) => [item.key, pick(4) !== 0]))
  const known = new Set<string>()
  const parts: Scenario['parts'] = []
  for (let index = 1; index <= count; index++) {
    if (pick(4) === 0) continue // never uploaded
    const part = `${index}/${count}`
    const run: Array<[string, string]> = [
      ['plan_hash', plan.hash],
      ['part', part],
    ]
    const items = count === 1 ? all : listWork(splitShards(plan.shards, plan.weights!, { index, count }).shards)
    const suites: ReportSuite[] = []
    for (const shard of new Set(items.map((item) => `${item.container}/${item.tier}`))) {
      const own = items.filter((item) => `${item.container}/${item.tier}` === shard)
      const crashed = pick(3) === 0
      if (!crashed) {
        for (const item of own) {
          const pass = truth.get(item.key)!
          suites.push(fileSuite(item, [...run, ['status', own.every((i) => truth.get(i.key)) ? 'passed' : 'failed']], [result(item, pass)]))
          known.add(item.key)
        }
        continue
      }
      const status: Array<[string, string]> = [...run, ['status', 'killed']]
      suites.push({
        name: shard,
        time: 0,
        properties: status.map(([name, value]) => ({ name, value })),
        cases: [error(shard, 'shard_crashed')],
      })
      for (const item of own) {
        // The crashed shard's tests may have forged anything in its progress log: passes, done with no test, nothing.
        const forged = [
          undefined,
          { tests: [{ name: 'works', state: 'passed' as const }], done: 'passed', collected: 1 },
          { tests: [], done: 'passed' },
          { tests: [{ name: 'works', state: 'passed' as const }] },
        ][pick(4)]
        const salvaged = salvageFile(item.file, forged)
        if (salvaged?.finished) suites.push(fileSuite(item, [...status, [SALVAGED, 'progress.ndjson']], salvaged.cases))
        else {
          const props: Array<[string, string]> = salvaged ? [...status, [SALVAGED, 'progress.ndjson']] : status
          suites.push(fileSuite(item, props, [...(salvaged?.cases ?? []), error(item.key, 'shard_crashed')]))
        }
      }
    }
    // A test of this part wrote passing suites for files another part owns.
    for (const item of all)
      if (!items.includes(item) && pick(5) === 0) suites.push(fileSuite(item, [...run, ['status', 'passed']], [result(item, true)]))
    parts.push({ path: `part-${index}.xml`, report: { name: `xtest run r${index}`, suites } })
  }
  return { plan, truth, known, parts }
}

describe('shortcuts are never greener than running everything (property)', () => {
  test.each(Array.from({ length: 250 }, (_, i) => i + 1))('merge, salvage, misplaced suites and --failed (seed %i)', (seed) => {
    const pick = random(seed * 7919)
    const { plan, truth, known, parts } = scenario(pick)
    const keys = [...truth.keys()]
    const merged = mergeParts(parts, { plan })
    const summary = summarizeReport(merged.report, { outPath: 'junit.xml', notes: merged.notes })
    const verdict = exitCodeFor(summary)
    const allPass = keys.every((key) => known.has(key) && truth.get(key))
    if (verdict === 0) expect(allPass, `green merge, yet truth says otherwise (seed ${seed})`).toBe(true)
    // Every planned file is in the merged report exactly once.
    expect(
      merged.report.suites
        .filter((suite) => truth.has(suite.name))
        .map((suite) => suite.name)
        .sort(),
    ).toEqual([...keys].sort())

    // --failed against today's plan: some files renamed, maybe one tier filtered out; re-run files get a new truth.
    const today = new Set(keys.filter(() => pick(6) !== 0))
    const tiers = pick(4) === 0 ? ['fast'] : [...TIERS]
    const placed = placeFailed(failedCells(merged.report), today, { tiers })
    const rerunTruth = new Map(placed.items.map((item) => [item.key, pick(3) !== 0]))
    const rerun: ReportSuite[] = placed.items.map((item) => {
      const pass = rerunTruth.get(item.key)!
      return fileSuite(
        { ...item, slice: undefined } as unknown as Item,
        [['status', pass ? 'passed' : 'failed']],
        [result(item as unknown as Item, pass)],
      )
    })
    const carried = placed.unplaced.map((each) => synthesizeNotRerun({ ...each, source: 'junit.xml', maxTextBytes: 4096 }))
    const retried = { name: 'xtest run retry', suites: [...rerun, ...carried] }
    const retryVerdict = exitCodeFor(summarizeReport(retried, { outPath: 'retry.xml' }))
    const settled = (key: string) => (known.has(key) && truth.get(key)) || rerunTruth.get(key) === true
    if (retryVerdict === 0) {
      expect(
        keys.filter((key) => !settled(key)),
        `green retry leaves files neither known to pass nor re-run and passed (seed ${seed})`,
      ).toEqual([])
    }
    // Nothing the merge did not vouch for is ever skipped by --failed.
    const vouched = new Set(keys.filter((key) => known.has(key) && truth.get(key)))
    const covered = new Set([...placed.items.map((item) => item.key), ...placed.unplaced.map((each) => each.suite)])
    expect(keys.filter((key) => !vouched.has(key) && !covered.has(key))).toEqual([])
  })
})
