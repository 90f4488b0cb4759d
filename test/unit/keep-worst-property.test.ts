// The fold of testcase copies (keepWorst) is on the merge's hot path and was rewritten for speed: over random
// sources with repeats inside a source, copies across sources, every result and shared or different runs, it must
// give exactly what the straightforward version gives (suites, case order, kept copies, flaky marks, notes).
import { expect, test } from 'vitest'
import { type CaseSource, keepWorst } from '../../src/report/keep-worst.js'
import type { CaseResult, ReportCase, ReportSuite } from '../../src/report/types.js'
import { random } from '../helpers/random.js'
import { keepWorst as reference } from './oracles/keep-worst-reference.js'

const RESULTS: CaseResult[] = ['passed', 'failed', 'error', 'skipped']

function randomSources(next: (n: number) => number): CaseSource[] {
  const runs = ['r1', 'r2', undefined]
  return Array.from({ length: next(4) + 1 }, (_, s) => ({
    label: `part-${s}.xml`,
    ...(runs[next(3)] ? { run: runs[next(3)] ?? 'r1' } : {}),
    suites: Array.from(
      { length: next(3) + 1 },
      (): ReportSuite => ({
        name: `suite-${next(3)}`,
        time: next(5),
        properties: next(2) ? [{ name: 'shard', value: `s${next(2)}` }] : [],
        // Few names, so that repeats and copies are common.
        cases: Array.from(
          { length: next(6) },
          (): ReportCase => ({
            classname: `c${next(2)}`,
            name: `t${next(3)}`,
            time: next(10) / 10,
            result: RESULTS[next(4)]!,
            properties: [],
          }),
        ),
      }),
    ),
  }))
}

test('property: the fast fold equals the reference on 3,000 random merges', () => {
  const seed = Number(process.env.XTEST_PROPERTY_SEED ?? Date.now() % 1_000_000)
  for (let run = 0; run < 3000; run++) {
    const sources = randomSources(random(seed + run))
    const copy = structuredClone(sources)
    expect(keepWorst(sources, 'file'), `seed ${seed + run}`).toEqual(reference(copy, 'file'))
  }
})
