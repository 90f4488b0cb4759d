// Copies of one testcase (same suite, classname and name) from several sources (merged files, a run's shards) fold
// into one: the worst result wins, so a stale or forged pass can never hide a real failure. A source keeps its own
// repeats (Vitest allows two tests with one name): the n-th copy in one source is matched with the n-th in another.
import type { CaseResult, ReportCase, ReportProperty, ReportSuite } from './types.js'

export interface CaseSource {
  /** Names the source in notes: a file path or a shard id. */
  label: string
  suites: readonly ReportSuite[]
  /** The run the source's results come from, when known (a pass and a failure in one run are flaky). */
  run?: string
}

// Failing beats passing beats skipped: the kept copy is the one that says most about what went wrong.
const SEVERITY: Record<CaseResult, number> = { error: 3, failed: 2, passed: 1, skipped: 0 }
const isFailing = (result: CaseResult): boolean => result === 'failed' || result === 'error'
const RESULT_WORDS: Record<CaseResult, string> = { error: 'error', failed: 'failure', passed: 'pass', skipped: 'skip' }

interface Slot {
  suite: ReportSuite
  index: number
  label: string
  run: string | undefined
  /** Some copy of this slot passed and another failed, in the same run. */
  flaky: boolean
}

/** One copy that replaced an earlier one, for the note. */
interface Replacement {
  suite: string
  name: string
  kept: CaseResult
  dropped: CaseResult
  droppedFrom: string
}

const caseKey = (suite: string, testCase: ReportCase): string => `${suite}\u0000${testCase.classname}\u0000${testCase.name}`

const addProperties = (into: ReportProperty[], more: readonly ReportProperty[]): void => {
  for (const property of more) {
    if (!into.some((each) => each.name === property.name && each.value === property.value)) into.push(property)
  }
}

const EXAMPLES = 3

function describeSource(noun: string, label: string, total: number, replaced: readonly Replacement[]): string {
  const head = `${label}: ${total} testcase(s) already merged from an earlier ${noun} (same suite, classname and name)`
  if (replaced.length === 0) return `${head}: dropped, the earlier copy is as bad or worse`
  const examples = replaced
    .slice(0, EXAMPLES)
    .map(
      (each) =>
        `"${each.name}" in ${each.suite} (${RESULT_WORDS[each.kept]} here over a ${RESULT_WORDS[each.dropped]} from ${each.droppedFrom})`,
    )
  const more = replaced.length > EXAMPLES ? ` and ${replaced.length - EXAMPLES} more` : ''
  const kept = total - replaced.length
  const rest = kept > 0 ? `; dropped ${kept} whose earlier copy is as bad or worse` : ''
  return `${head}: kept this ${noun}'s copy of ${replaced.length}, a worse result: ${examples.join(', ')}${more}${rest}`
}

// The n-th repeat of a key in one source is matched with the n-th kept copy: sorting each source's repeats worst
// first makes the match independent of the order the repeats happen to be listed in. Most keys occur once, and
// hold their case alone (no array): at 100,000 cases the arrays were a fifth of the merge's garbage.
function repeatsWorstFirst(source: CaseSource, keys: string[]): Map<string, ReportCase | ReportCase[]> {
  const byKey = new Map<string, ReportCase | ReportCase[]>()
  for (const suite of source.suites) {
    for (const testCase of suite.cases) {
      const key = caseKey(suite.name, testCase)
      keys.push(key)
      const repeats = byKey.get(key)
      if (repeats === undefined) byKey.set(key, testCase)
      else if (Array.isArray(repeats)) repeats.push(testCase)
      else byKey.set(key, [repeats, testCase])
    }
  }
  for (const repeats of byKey.values()) if (Array.isArray(repeats)) repeats.sort((a, b) => SEVERITY[b.result] - SEVERITY[a.result])
  return byKey
}

/**
 * Folds sources into one list of suites: same-name suites are joined; of the copies of one testcase, the worst is
 * kept (error > failure > pass > skip; the earlier one on a tie). A pass and a failure from the same run mark the
 * kept failure `flaky` (it stays a failure: a copy is no retry xtest ran, and a forged pass must not turn it green).
 */
export function keepWorst(sources: readonly CaseSource[], noun = 'file'): { suites: ReportSuite[]; notes: string[] } {
  const suites = new Map<string, ReportSuite>()
  // A key's slots: one (the common case, no array) or one per repeat.
  const slots = new Map<string, Slot | Slot[]>()
  const notes: string[] = []
  const flakyNotes: string[] = []
  for (const source of sources) {
    const keys: string[] = []
    const repeats = repeatsWorstFirst(source, keys)
    let next = 0
    const seen = new Map<string, number>()
    const replaced: Replacement[] = []
    let dropped = 0
    for (const suite of source.suites) {
      let target = suites.get(suite.name)
      if (target === undefined) {
        target = { ...suite, properties: [...suite.properties], cases: [], time: 0 }
        suites.set(suite.name, target)
      }
      addProperties(target.properties, suite.properties)
      let added = 0
      for (const listed of suite.cases) {
        const key = keys[next++]!
        const copies = repeats.get(key)
        let occurrence = 0
        let testCase = listed
        if (Array.isArray(copies)) {
          occurrence = seen.get(key) ?? 0
          seen.set(key, occurrence + 1)
          testCase = copies[occurrence] ?? listed
        }
        const keySlots = slots.get(key)
        const slot = Array.isArray(keySlots) ? keySlots[occurrence] : occurrence === 0 ? keySlots : undefined
        if (slot === undefined) {
          const fresh: Slot = { suite: target, index: target.cases.length, label: source.label, run: source.run, flaky: false }
          if (keySlots === undefined) slots.set(key, fresh)
          else if (Array.isArray(keySlots)) keySlots.push(fresh)
          else slots.set(key, [keySlots, fresh])
          target.cases.push(testCase)
          added++
          continue
        }
        dropped++
        const earlier = slot.suite.cases[slot.index]!
        const conflict =
          isFailing(earlier.result) !== isFailing(testCase.result) && (earlier.result === 'passed' || testCase.result === 'passed')
        if (conflict && source.run !== undefined && source.run === slot.run && !slot.flaky) {
          slot.flaky = true
          flakyNotes.push(
            `flaky: "${testCase.name}" in ${suite.name} passed and failed in run ${source.run} (${slot.label}, ${source.label}); kept the failure`,
          )
        }
        if (SEVERITY[testCase.result] > SEVERITY[earlier.result]) {
          replaced.push({ suite: suite.name, name: testCase.name, kept: testCase.result, dropped: earlier.result, droppedFrom: slot.label })
          slot.suite.cases[slot.index] = testCase
          slot.label = source.label
          slot.run = source.run
        }
        if (slot.flaky) slot.suite.cases[slot.index] = { ...slot.suite.cases[slot.index]!, flaky: true }
      }
      // A suite seen before adds its time only when it brought new cases (a re-uploaded file adds none).
      if (added > 0 || suite.cases.length === 0) target.time += suite.time
    }
    if (dropped > 0) notes.push(describeSource(noun, source.label, dropped, replaced))
  }
  return { suites: [...suites.values()], notes: [...notes, ...flakyNotes] }
}
