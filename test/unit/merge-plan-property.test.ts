import { describe, expect, test } from 'vitest'
import type { XtestError } from '../../src/core/errors.js'
import type { Tier } from '../../src/core/tiers.js'
import { listWork, type Weights } from '../../src/plan/balance.js'
import { splitShards } from '../../src/plan/shard-split.js'
import type { Shard } from '../../src/plan/types.js'
import { exitCodeFor, type JUnitReport, type MergePlan, mergeParts, type ReportSuite, summarizeReport } from '../../src/report/index.js'
import { random } from '../helpers/random.js'

// For random plans, parts, failures, deletions and duplicates, the merge against the plan keeps
// every planned (container, tier, file) exactly once (reported or synthetic), and the exit code follows the table.
const TIERS: Tier[] = ['fast', 'slow', 'superslow']

function randomPlan(pick: (n: number) => number, hash: string): MergePlan {
  const shards: Shard[] = []
  const weights: Weights = {}
  for (const container of ['amp', 'opt', 'gpu'].slice(0, 1 + pick(3))) {
    for (const tier of TIERS.slice(0, 1 + pick(3))) {
      const files = Array.from({ length: 1 + pick(9) }, (_, i) => `src/${container}/${tier}/f${i}.test.ts`)
      shards.push({ id: `${container}.${tier}`, container, tier, files })
      for (const file of files) weights[`${container}/${tier}/${file}`] = 100 * (1 + pick(50))
    }
  }
  return { source: 'plan.json', hash, shards, weights }
}

function partReport(plan: MergePlan, index: number, count: number, fail: (key: string) => boolean): JUnitReport {
  const items = listWork(splitShards(plan.shards, plan.weights!, { index, count }).shards)
  const suites: ReportSuite[] = items.map((item) => {
    const failing = fail(item.key)
    return {
      name: item.key,
      file: item.file,
      time: 0.1,
      properties: [
        { name: 'container', value: item.container },
        { name: 'tier', value: item.tier },
        { name: 'status', value: failing ? 'failed' : 'passed' },
        { name: 'shard', value: `${item.container}.${item.tier}@${index}` },
        { name: 'plan_hash', value: plan.hash },
        { name: 'part', value: `${index}/${count}` },
      ],
      cases: [
        {
          classname: item.file,
          name: 'works',
          time: 0.1,
          result: failing ? 'failed' : 'passed',
          properties: [],
          ...(failing && { fault: { message: 'no', type: 'AssertionError', body: '' } }),
        },
      ],
    }
  })
  return { name: `xtest run r${index}`, suites }
}

describe('xtest merge --plan (property)', () => {
  test.each(Array.from({ length: 40 }, (_, i) => i + 1))(
    'merged ∪ synthetic = planned, no duplicates, exit code per the table (seed %i)',
    (seed) => {
      const pick = random(seed)
      const plan = randomPlan(pick, `sha256:${'a'.repeat(64)}`)
      const planned = listWork(plan.shards)
        .map((item) => item.key)
        .sort()
      const count = 1 + pick(Math.min(5, planned.length))
      const failing = new Set(planned.filter(() => pick(8) === 0))
      const deleted = new Set(Array.from({ length: count }, (_, i) => i + 1).filter(() => pick(4) === 0))
      const parts: Array<{ path: string; report: JUnitReport }> = []
      for (let index = 1; index <= count; index++) {
        if (deleted.has(index)) continue
        const copies = pick(5) === 0 ? 2 : 1
        for (let copy = 0; copy < copies; copy++)
          parts.push({ path: `part-${index}-${copy}.xml`, report: partReport(plan, index, count, (key) => failing.has(key)) })
      }
      if (parts.length === 0 && count > 1) plan.count = count
      const { report, notes } = mergeParts(parts, { plan })
      const names = report.suites.map((suite) => suite.name)
      expect(new Set(names).size).toBe(names.length)
      expect([...names].sort()).toEqual(planned)
      const missing = report.suites.filter((suite) => suite.cases.some((c) => c.name === '[xtest] part_missing'))
      for (const suite of missing) {
        const part = suite.properties.find((p) => p.name === 'part')!.value
        expect(deleted.has(Number(part.split('/')[0]))).toBe(true)
        expect(suite.cases[0]!.fault!.message).toBe(`no result for ${suite.file}: part ${part} uploaded no report`)
      }
      const lost = deleted.size > 0 && missing.length > 0
      const expected = lost || [...failing].some((key) => !missing.some((suite) => suite.name === key)) ? 1 : 0
      expect(exitCodeFor(summarizeReport(report, { outPath: 'x.xml', notes }))).toBe(expected)
      for (const index of new Set(parts.map((p) => p.path.split('-')[1]))) {
        if (parts.filter((p) => p.path.startsWith(`part-${index}-`)).length > 1)
          expect(notes.join('\n')).toContain(`part ${index}/${count} was given 2 times`)
      }
    },
  )

  test.each([1, 2, 3, 4, 5])('parts from two plans, or two splits, are exit 2 naming them (seed %i)', (seed) => {
    const pick = random(seed)
    const plan = randomPlan(pick, `sha256:${'a'.repeat(64)}`)
    const other = { ...plan, hash: `sha256:${'b'.repeat(64)}` }
    const a = { path: 'a.xml', report: partReport(plan, 1, 2, () => false) }
    const b = { path: 'b.xml', report: partReport(other, 2, 2, () => false) }
    const attempt = (parts: (typeof a)[], withPlan?: MergePlan) => {
      try {
        mergeParts(parts, withPlan ? { plan: withPlan } : {})
        return undefined
      } catch (error) {
        return error as XtestError
      }
    }
    const mixed = attempt([a, b])
    expect(mixed?.exitCode).toBe(2)
    expect(mixed?.message).toBe('the parts come from different plans: a.xml (plan sha256:aaaaaaaaaaaa); b.xml (plan sha256:bbbbbbbbbbbb)')
    expect(attempt([b], plan)?.message).toBe(
      'the parts come from different plans: --plan plan.json (plan sha256:aaaaaaaaaaaa); b.xml (plan sha256:bbbbbbbbbbbb)',
    )
    const split = attempt([a, { path: 'c.xml', report: partReport(plan, 2, 3, () => false) }])
    expect(split?.exitCode).toBe(2)
    expect(split?.message).toBe('the parts come from different splits: a.xml (part 1/2); c.xml (part 2/3)')
  })
})
