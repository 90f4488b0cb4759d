// Vitest's reported tasks → plain JUnit data (core/junit-report.ts), keeping only the tests of the shard's tier.
// core/junit-write.ts turns it into the shard's junit.xml, with the same writer the merge uses.
import path from 'node:path'
import type { SerializedError, TestCase, TestModule } from 'vitest/node'
import type { Fault, ReportCase, ReportProperty, ReportSuite } from '../core/junit-report.js'
import { type Tier, tierOfTags } from '../core/tiers.js'

export interface SuiteContext {
  /** Suite names and classnames are module paths relative to this directory (the shard's working directory). */
  root: string
  tier: Tier
  hostname: string
  timestamp: string
  properties: ReportProperty[]
}

type ReportedError = SerializedError & { diff?: string }

/** One error as a JUnit fault: message and type as attributes, stack and diff as the body. */
function toProblem(error: ReportedError, fallbackType = 'Error'): Fault {
  const message = String(error.message ?? error)
  const stack = typeof error.stack === 'string' && error.stack.includes(message) ? error.stack : `${message}\n${error.stack ?? ''}`
  const cause = error.cause ? `Caused by: ${toProblem(error.cause).body}` : ''
  const body = [stack.trimEnd(), typeof error.diff === 'string' ? error.diff : '', cause].filter(Boolean).join('\n\n')
  return { message, type: typeof error.name === 'string' && error.name ? error.name : fallbackType, body }
}

// Several errors of one attempt-less failure (soft assertions, afterEach) go into one <failure>.
function combineErrors(errors: readonly ReportedError[]): Fault {
  const [first, ...rest] = errors.map((error) => toProblem(error))
  if (!first) return { message: 'failed without an error', type: 'Error', body: '' }
  return { ...first, body: [first.body, ...rest.map((p) => p.body)].join('\n\n') }
}

function toJUnitCase(test: TestCase, classname: string): ReportCase {
  const result = test.result()
  const diagnostic = test.diagnostic()
  const base = { classname, name: test.fullName, time: (diagnostic?.duration ?? 0) / 1000, properties: [] }
  const retryCount = diagnostic?.retryCount ?? 0
  const systemOut = retryCount > 0 ? `[xtest] retryCount=${retryCount} flaky=${diagnostic?.flaky === true}` : undefined
  switch (result.state) {
    case 'skipped': {
      const reason = result.note ?? (test.options.mode === 'todo' ? 'todo' : '')
      return { ...base, result: 'skipped', skipMessage: reason }
    }
    case 'pending':
      return { ...base, result: 'failed', fault: { message: 'the test was collected but did not finish', type: 'not_finished', body: '' } }
    case 'failed':
      return { ...base, result: 'failed', fault: combineErrors(result.errors), systemOut }
    case 'passed': {
      // Vitest keeps the errors of failed attempts on a test that passed on retry.
      const flakyFailures = retryCount > 0 ? (result.errors ?? []).map((error) => toProblem(error)) : []
      return { ...base, result: 'passed', flakyFailures, systemOut }
    }
  }
}

export function getModulePath(module: TestModule, root: string): string {
  const id = module.moduleId
  return id.startsWith(`${root}/`) ? id.slice(root.length + 1) : module.relativeModuleId
}

/** The module's testsuite: its tests of this tier, hook failures, a load failure, or a module that never ran. */
export function toJUnitSuite(
  module: TestModule,
  context: SuiteContext,
  selected: (test: TestCase) => boolean = (test) => tierOfTags(test.tags) === context.tier,
): ReportSuite {
  const file = getModulePath(module, context.root)
  const cases: ReportCase[] = []
  const failedCase = (name: string, fault: Fault): ReportCase => ({
    classname: file,
    name,
    time: 0,
    result: 'failed',
    fault,
    properties: [],
  })
  if (module.errors().length) cases.push(failedCase(file, combineErrors(module.errors())))
  for (const suite of module.children.allSuites()) {
    if (suite.errors().length) cases.push(failedCase(suite.fullName, combineErrors(suite.errors())))
  }
  for (const test of module.children.allTests()) {
    if (selected(test)) cases.push(toJUnitCase(test, file))
  }
  const state = module.state()
  if (cases.length === 0 && (state === 'queued' || state === 'pending')) {
    cases.push(failedCase(file, { message: `the test file did not finish (state ${state})`, type: 'not_finished', body: '' }))
  }
  return {
    name: file,
    timestamp: context.timestamp,
    hostname: context.hostname,
    time: fileCost(module.diagnostic()) / 1000,
    // A file that two projects both match runs twice: the project tells the two suites apart.
    properties: module.project.name ? [...context.properties, { name: 'project', value: module.project.name }] : context.properties,
    cases,
  }
}

/**
 * What a test file cost its worker, in ms: preparing the runner and the environment, importing the file and its setup
 * files, and its tests and hooks. Vitest's own JUnit counts only the last (`duration`); the import alone is often
 * most of a file's time, and `--shard` balances the parts by these figures (timings.json).
 */
function fileCost(diagnostic: ReturnType<TestModule['diagnostic']>): number {
  const { prepareDuration, environmentSetupDuration, collectDuration, setupDuration, duration } = diagnostic
  const parts = [prepareDuration, environmentSetupDuration, collectDuration, setupDuration, duration]
  return parts.reduce<number>((sum, ms) => sum + (Number.isFinite(ms) && ms > 0 ? ms : 0), 0)
}

/** Errors outside any test (Vitest 4.1's own JUnit drops them): one failing testcase each. */
export function toUnhandledSuite(errors: readonly SerializedError[], context: SuiteContext): ReportSuite | null {
  if (!errors.length) return null
  const name = 'unhandled errors'
  const cases = errors.map((error, index): ReportCase => {
    const file = typeof error.VITEST_TEST_PATH === 'string' ? path.relative(context.root, error.VITEST_TEST_PATH) : null
    const where = [file, error.VITEST_TEST_NAME].filter((part) => typeof part === 'string').join(' > ')
    return {
      classname: name,
      name: `unhandled error ${index + 1}${where ? ` (during ${where})` : ''}`,
      time: 0,
      result: 'failed',
      fault: toProblem(error, 'UnhandledError'),
      properties: [],
    }
  })
  return { name, timestamp: context.timestamp, hostname: context.hostname, time: 0, properties: context.properties, cases }
}

/** Planned files that Vitest never reported as a module (no project matched, filtered away, crash before start). */
export function toMissingFileSuites(files: readonly string[], reported: ReadonlySet<string>, context: SuiteContext): ReportSuite[] {
  return files
    .filter((file) => !reported.has(file))
    .map((file) => ({
      name: file,
      timestamp: context.timestamp,
      hostname: context.hostname,
      time: 0,
      properties: context.properties,
      cases: [
        {
          classname: file,
          name: file,
          time: 0,
          result: 'failed',
          fault: { message: 'the shard was given this file, but Vitest did not run it', type: 'not_collected', body: '' },
          properties: [],
        },
      ],
    }))
}
