// Results a shard finished before it died, taken from its progress log for the planned files its JUnit lacks.
// The log is the shard's own word (a test can forge it): a recorded failure stays a failure, but a recorded pass or
// skip is only "unverified" (a skipped case saying so; summaries count it apart, --failed re-runs it). A file that was
// still running keeps the tests it finished and still gets the shard's synthetic case. Nothing here turns a verdict green.
import type { FileProgress } from './progress-read.js'
import type { ReportCase } from './types.js'

const SALVAGED = 'recorded in progress.ndjson; the shard ended before writing its JUnit report'

export interface SalvagedFile {
  cases: ReportCase[]
  /** True when the file finished (a `done` event): it needs no synthetic case. */
  finished: boolean
}

const FINISHED_STATES: ReadonlySet<string> = new Set(['passed', 'failed', 'skipped'])

const failingCase = (file: string, name: string, message: string): ReportCase => ({
  classname: file,
  name,
  time: 0,
  result: 'failed',
  properties: [],
  fault: { type: 'xtest.salvaged', message, body: `${message}\n(${SALVAGED})` },
})

// Vitest's JUnit never confirmed it: not a pass (the run stays red, see report/salvaged-suites.ts).
const unverifiedCase = (file: string, name: string, what: string): ReportCase => ({
  classname: file,
  name,
  time: 0,
  result: 'skipped',
  skipMessage: `unverified: ${what} (${SALVAGED})`,
  properties: [],
})

/** The testcases the progress log gives for one planned file, or undefined when it says nothing usable. */
export function salvageFile(file: string, progress: FileProgress | undefined): SalvagedFile | undefined {
  if (progress === undefined) return undefined
  const finished = progress.done !== undefined && FINISHED_STATES.has(progress.done)
  // A file Vitest collected but never finished was running when the shard ended: say so even with no finished test.
  if (progress.tests.length === 0 && !finished && progress.collected === undefined) return undefined
  const cases: ReportCase[] = progress.tests.map(({ name, state }) => {
    if (state === 'passed' || state === 'skipped') return unverifiedCase(file, name, `recorded ${state}`)
    return failingCase(file, name, 'failed (its failure text was in the JUnit report the shard never wrote)')
  })
  if (finished) {
    // A file that ended failed without a failed test failed outside its tests (a hook, an import): keep it red.
    if (progress.done === 'failed' && !cases.some((each) => each.result === 'failed')) {
      cases.push(failingCase(file, `[xtest] ${file}`, 'the file ended failed, with no failed test recorded (a hook or load error?)'))
    }
    // Fewer finished tests than collected: the missing ones never finished.
    const unfinished = (progress.collected ?? 0) - progress.tests.length
    if (unfinished > 0) cases.push(failingCase(file, `[xtest] ${file}: unfinished tests`, `${unfinished} collected test(s) have no result`))
    // A file said to be done with no test recorded (forged, or every test in another tier) proves nothing either.
    if (cases.length === 0) cases.push(unverifiedCase(file, `[xtest] ${file}`, `recorded done (${progress.done}) with no test`))
  }
  return { cases, finished }
}
