import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { describe, expect, test } from 'vitest'
import type { ShardOutcome } from '../../src/core/shard.js'
import type { ReportSuite, RunSummary } from '../../src/report/index.js'
import { exitCodeFor, mergeRun, readJUnit } from '../../src/report/index.js'
import { fixture, outcomeOf, schemaErrors, tempDir } from '../fixtures-junit/helpers.js'

/** A shard folder with the given junit.xml (a fixture name, raw content, or nothing) and output.log. */
function shardDir(run: string, id: string, junit: { fixture?: string; content?: string | Buffer }, log = ''): string {
  const dir = join(run, id)
  mkdirSync(dir, { recursive: true })
  if (junit.fixture) copyFileSync(fixture(junit.fixture), join(dir, 'junit.xml'))
  if (junit.content !== undefined) writeFileSync(join(dir, 'junit.xml'), junit.content)
  writeFileSync(join(dir, 'output.log'), log)
  return join(dir, 'junit.xml')
}

type Node = Record<string, unknown>
const list = (value: unknown): Node[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]) as Node[]

/** Checks, with a parser independent of xtest's reader, that every total is the sum of the testcases below it. */
function expectTotalsToBeSums(xml: string): { tests: number } {
  const tree = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: false }).parse(xml) as Node
  const root = tree['testsuites'] as Node
  const sum = { tests: 0, failures: 0, errors: 0 }
  for (const suite of list(root['testsuite'])) {
    const cases = list(suite['testcase'])
    const counted = {
      tests: cases.length,
      failures: cases.filter((c) => c['failure'] !== undefined).length,
      errors: cases.filter((c) => c['error'] !== undefined).length,
      skipped: cases.filter((c) => c['skipped'] !== undefined).length,
    }
    expect({
      tests: Number(suite['tests']),
      failures: Number(suite['failures']),
      errors: Number(suite['errors']),
      skipped: Number(suite['skipped']),
    }).toEqual(counted)
    sum.tests += counted.tests
    sum.failures += counted.failures
    sum.errors += counted.errors
  }
  expect({ tests: Number(root['tests']), failures: Number(root['failures']), errors: Number(root['errors']) }).toEqual(sum)
  return sum
}

async function merged(summary: RunSummary): Promise<{ xml: string; suites: ReportSuite[] }> {
  expect(schemaErrors(summary.outPath)).toBe('')
  const xml = readFileSync(summary.outPath, 'utf8')
  expectTotalsToBeSums(xml)
  const read = await readJUnit(summary.outPath)
  if (!read.ok) throw new Error(read.message)
  return { xml, suites: read.value.report.suites }
}

const prop = (suite: ReportSuite | undefined, name: string) => suite?.properties.find((p) => p.name === name)?.value
const byName = (suites: ReportSuite[], name: string) => suites.find((suite) => suite.name === name)

describe('mergeRun on real-shaped shards', () => {
  test('Vitest and xtest-reporter JUnit: suite names, classnames, properties, accounting, valid output', async () => {
    const run = tempDir()
    const amp = outcomeOf({
      junitPath: shardDir(run, 'amp.fast', { fixture: 'vitest-4.1-amp-fast.xml' }, 'vitest output\n'),
      exitCode: 1,
      files: ['src/a.test.ts', 'src/lost.test.ts', 'src/sub/b.test.ts', 'src/sub/c.test.ts'],
    })
    const opt = outcomeOf({
      container: 'opt',
      tier: 'slow',
      image: 'opt:2.0',
      exitCode: 1,
      junitPath: shardDir(run, 'opt.slow', { fixture: 'xtest-reporter-opt-slow.xml' }),
      files: ['optimizer/grid/mesh.test.ts', 'optimizer/solver.test.ts'],
    })
    const copy = join(run, 'copy', 'junit.xml')
    const { summary } = await mergeRun({
      runId: 'r-1',
      outcomes: [opt, amp],
      workdirs: { opt: 'optimizer' },
      outPath: join(run, 'junit.xml'),
      copyTo: [copy],
    })
    const { xml, suites } = await merged(summary)
    expect(readFileSync(copy, 'utf8')).toBe(xml)
    expect(suites.map((suite) => suite.name)).toEqual([
      'amp/fast',
      'amp/fast/src/a.test.ts',
      'amp/fast/src/lost.test.ts',
      'amp/fast/src/sub/b.test.ts',
      'amp/fast/src/sub/c.test.ts',
      'opt/slow/optimizer/grid/mesh.test.ts',
      'opt/slow/optimizer/solver.test.ts',
      'opt/slow/unhandled errors',
    ])
    const solver = byName(suites, 'opt/slow/optimizer/solver.test.ts')!
    expect(solver.cases.every((testCase) => testCase.classname === 'optimizer/solver.test.ts')).toBe(true)
    expect(solver.file).toBe('optimizer/solver.test.ts')
    expect(solver.properties.slice(0, 9)).toEqual([
      { name: 'container', value: 'opt' },
      { name: 'tier', value: 'slow' },
      { name: 'shard', value: 'opt.slow' },
      { name: 'status', value: 'failed' },
      { name: 'runtime', value: 'docker' },
      { name: 'image', value: 'opt:2.0' },
      { name: 'image_id', value: 'sha256:feedface' },
      { name: 'exit_code', value: '1' },
      { name: 'duration_ms', value: '5000' },
    ])
    expect(prop(solver, 'run_id')).toBe('r-1')
    expect(solver.cases.find((testCase) => testCase.name === 'solver > needs gpu')!.skipMessage).toContain('cuda-bindings')
    expect(byName(suites, 'opt/slow/optimizer/grid/mesh.test.ts')!.cases).toEqual([])
    // The lost file: a synthetic case in its own suite, and the shard's case that lists it and carries the log.
    const lost = byName(suites, 'amp/fast/src/lost.test.ts')!.cases[0]!
    expect(lost).toMatchObject({ classname: 'amp/fast/src/lost.test.ts', name: '[xtest] not_reported', result: 'error' })
    expect(lost.fault!.type).toBe('xtest.not_reported')
    const shardCase = byName(suites, 'amp/fast')!.cases[0]!
    expect(shardCase.fault!.body).toContain('1 of 4 planned file(s) have no result:\n  src/lost.test.ts')
    expect(shardCase.systemOut).toContain('vitest output')
    expect(summary.shards.map((shard) => [shard.id, shard.status, shard.unreportedFiles])).toEqual([
      ['amp.fast', 'failed', ['src/lost.test.ts']],
      ['opt.slow', 'failed', []],
    ])
    expect(summary.rows.map((row) => [row.container, row.tier, row.statuses, row.counts.tests + (row.counts.shardErrors ?? 0)])).toEqual([
      ['amp', 'fast', ['failed'], 11],
      ['opt', 'slow', ['failed'], 5],
    ])
    expect(summary.totals).toMatchObject({ tests: 14, failed: 5, errors: 0, skipped: 4, shardErrors: 2 })
    const diverges = summary.failures.find((failure) => failure.name === 'solver > diverges')!
    expect([diverges.file, diverges.line]).toEqual(['optimizer/solver.test.ts', 33])
    expect(exitCodeFor(summary)).toBe(1)
  })
})

describe('mergeRun on crafted shard output: always a valid report, the problem visible', () => {
  const secretDir = tempDir()
  const secret = join(secretDir, 'secret.txt')
  writeFileSync(secret, 'TOP-SECRET-4242')
  const bigOutput = `<?xml version="1.0"?><testsuites><testsuite name="src/a.test.ts"><testcase classname="src/a.test.ts" name="loud" time="1"><system-out>HEAD${'y'.repeat(1024 * 1024)}TAIL</system-out></testcase></testsuite></testsuites>`
  const cases: Array<[string, { fixture?: string; content?: string }, string, string]> = [
    ['empty', { fixture: 'empty.xml' }, 'report-malformed', 'empty'],
    ['no-file', {}, 'report-malformed', 'no JUnit file was written'],
    ['truncated', { fixture: 'truncated.xml' }, 'report-malformed', 'not well-formed'],
    ['laughs', { fixture: 'billion-laughs.xml' }, 'report-malformed', '<!DOCTYPE'],
    [
      'xxe',
      {
        content: `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file://${secret}">]><testsuites><testsuite name="src/a.test.ts"><testcase classname="src/a.test.ts" name="x">&x;</testcase></testsuite></testsuites>`,
      },
      'report-malformed',
      '<!DOCTYPE',
    ],
    ['html', { fixture: 'wrong-root.xml' }, 'report-malformed', 'root element <html>'],
    ['control', { fixture: 'control-chars.xml' }, 'failed', ''],
    ['proto', { fixture: 'proto.xml' }, 'passed', ''],
    ['bom', { fixture: 'utf8-bom.xml' }, 'passed', ''],
    ['utf16', { fixture: 'utf16be-bom.xml' }, 'passed', ''],
    ['big', { content: bigOutput }, 'passed', ''],
  ]

  test('each input in its own shard of one run', async () => {
    const run = tempDir()
    const log = Array.from({ length: 1000 }, (_, i) => `log line ${i + 1} \x1b[2mdim\x1b[22m`).join('\n')
    const outcomes: ShardOutcome[] = cases.map(([container, junit]) =>
      outcomeOf({ container, junitPath: shardDir(run, `${container}.fast`, junit, log), files: ['src/a.test.ts'] }),
    )
    const { summary } = await mergeRun({ runId: 'r-2', outcomes, outPath: join(run, 'junit.xml') })
    const { xml, suites } = await merged(summary)
    expect(xml).not.toContain('TOP-SECRET-4242')
    expect(xml).not.toContain('lollol')
    expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    for (const [container, , status, cause] of cases) {
      const shard = summary.shards.find((each) => each.id === `${container}.fast`)!
      expect([container, shard.status]).toEqual([container, status])
      const fileSuite = byName(suites, `${container}/fast/src/a.test.ts`)
      expect(fileSuite, container).toBeDefined()
      if (status !== 'report-malformed') continue
      const shardCase = byName(suites, `${container}/fast`)!.cases[0]!
      expect(shardCase.fault).toMatchObject({ type: 'xtest.report_malformed' })
      expect(shardCase.fault!.message).toContain(cause)
      expect(shardCase.systemOut).toContain('log line 1000 dim')
      expect(shardCase.systemOut).toContain('log line 801 dim')
      expect(shardCase.systemOut).not.toContain('log line 800 dim')
      expect(fileSuite!.cases[0]).toMatchObject({
        name: '[xtest] report_malformed',
        classname: `${container}/fast/src/a.test.ts`,
        result: 'error',
      })
    }
    const loud = byName(suites, 'big/fast/src/a.test.ts')!.cases[0]!.systemOut!
    expect(Buffer.byteLength(loud)).toBeLessThanOrEqual(64 * 1024)
    expect(loud).toMatch(/^HEADy+\n\[xtest: \d+ of \d+ bytes cut here\]\ny+TAIL$/)
    expect(summary.notes).toContain('proto.fast: ignored elements or attributes named "__proto__"')
    expect(byName(suites, 'utf16/fast/src/a.test.ts')!.cases[0]!.name).toBe('ümlaut ✓ 😀')
    expect(exitCodeFor(summary)).toBe(1)
  })
})

describe('mergeRun decides each shard from its outcome and its report', () => {
  const passing =
    '<testsuites><testsuite name="src/a.test.ts" time="1"><testcase classname="src/a.test.ts" name="ok" time="1"/></testsuite></testsuites>'
  const scenarios: Array<[string, Partial<ShardOutcome>, string | undefined, string, string | undefined]> = [
    ['green', {}, passing, 'passed', undefined],
    ['exit 1, nothing failed', { exitCode: 1 }, passing, 'failed', 'xtest.exit_mismatch'],
    ['signalled but exit 0', { exitCode: 0, signal: 'SIGKILL' }, passing, 'killed', 'xtest.shard_crashed'],
    ['exit 139 without a report', { exitCode: 139 }, undefined, 'killed', 'xtest.shard_crashed'],
    ['timed out', { exitCode: 137, ended: 'timeout', cause: 'tier fast allows 600s' }, undefined, 'timeout', 'xtest.timeout'],
    ['out of memory', { exitCode: 137, ended: 'oom' }, undefined, 'oom', 'xtest.oom'],
    ['interrupted', { exitCode: null, ended: 'interrupted' }, undefined, 'interrupted', 'xtest.interrupted'],
    ['engine down', { exitCode: null, ended: 'infra', cause: 'connect ENOENT /var/run/docker.sock' }, undefined, 'infra', 'xtest.infra'],
    ['no tests in this tier', {}, '<testsuites><testsuite name="src/a.test.ts"/></testsuites>', 'no-tests', undefined],
  ]

  test.each(scenarios)('%s', async (_name, overrides, junit, status, errorType) => {
    const run = tempDir()
    const outcome = outcomeOf({
      junitPath: shardDir(run, 'amp.fast', junit === undefined ? {} : { content: junit }, 'booting\nSegmentation fault\n'),
      files: ['src/a.test.ts'],
      ...overrides,
    })
    const { summary } = await mergeRun({ runId: 'r', outcomes: [outcome], outPath: join(run, 'junit.xml') })
    const { suites } = await merged(summary)
    expect(summary.shards[0]!.status).toBe(status)
    const shardCase = byName(suites, 'amp/fast')?.cases[0]
    expect(shardCase?.fault?.type).toBe(errorType)
    if (errorType !== undefined) expect(shardCase!.systemOut).toContain('Segmentation fault')
    if (overrides.cause) expect(shardCase!.fault!.message).toContain(overrides.cause)
    expect(byName(suites, 'amp/fast/src/a.test.ts')).toBeDefined()
  })

  test('a planned shard that never started is interrupted, its files accounted for; the run exits 130', async () => {
    const run = tempDir()
    const started = outcomeOf({ junitPath: shardDir(run, 'amp.fast', { content: passing }), files: ['src/a.test.ts'] })
    const planned = [
      { id: 'amp.fast', container: 'amp', tier: 'fast' as const, files: ['src/a.test.ts'] },
      { id: 'amp.slow.2', container: 'amp', tier: 'slow' as const, slice: 2, files: ['src/b.test.ts', 'src/c.test.ts'] },
    ]
    const { summary } = await mergeRun({ runId: 'r', outcomes: [started], planned, outPath: join(run, 'junit.xml') })
    const { suites } = await merged(summary)
    expect(summary.shards.map((shard) => [shard.id, shard.status])).toEqual([
      ['amp.fast', 'passed'],
      ['amp.slow.2', 'interrupted'],
    ])
    expect(suites.map((suite) => suite.name)).toEqual([
      'amp/fast/src/a.test.ts',
      'amp/slow#2',
      'amp/slow/src/b.test.ts',
      'amp/slow/src/c.test.ts',
    ])
    expect(summary.interrupted).toBe(true)
    expect(exitCodeFor(summary)).toBe(130)
  })

  test('accounting: every planned file is a suite in the merged report, whatever the shard reported', async () => {
    const run = tempDir()
    const files = Array.from({ length: 12 }, (_, i) => `src/f${i}.test.ts`)
    const outcomes = [0, 1, 2, 3].map((index) => {
      const reported = files.filter((_, i) => (i * 7 + index) % 4 !== 0)
      const body = reported
        .map(
          (file, i) =>
            `<testsuite name="${file}"><testcase classname="${file}" name="t" time="0.1">${i % 3 === 0 ? '<failure message="m"/>' : ''}</testcase></testsuite>`,
        )
        .join('')
      return outcomeOf({
        container: `c${index}`,
        exitCode: index % 2,
        junitPath: shardDir(run, `c${index}.fast`, { content: `<testsuites>${body}</testsuites>` }),
        files,
      })
    })
    const { summary } = await mergeRun({ runId: 'r', outcomes, outPath: join(run, 'junit.xml') })
    const { suites } = await merged(summary)
    for (const outcome of outcomes) {
      for (const file of outcome.files) expect(byName(suites, `${outcome.container}/fast/${file}`)?.cases.length).toBeGreaterThan(0)
    }
    expect(summary.totals.tests + (summary.totals.shardErrors ?? 0)).toBe(suites.reduce((sum, suite) => sum + suite.cases.length, 0))
  })
})

describe('mergeRun keeps the worst copy across shards', () => {
  test("a slice that forges a passing copy of its sibling's failing test does not add a pass: one copy, the failure, marked flaky", async () => {
    const run = tempDir()
    const xml = (suites: string) => `<?xml version="1.0"?><testsuites>${suites}</testsuites>`
    const one = outcomeOf({
      id: 'amp.fast.1',
      slice: 1,
      files: ['src/a.test.ts'],
      junitPath: shardDir(run, 'amp.fast.1', {
        content: xml(
          '<testsuite name="src/a.test.ts"><testcase classname="src/a.test.ts" name="a" time="0.1"/></testsuite>' +
            '<testsuite name="src/b.test.ts"><testcase classname="src/b.test.ts" name="b" time="0.1"/></testsuite>',
        ),
      }),
    })
    const two = outcomeOf({
      id: 'amp.fast.2',
      slice: 2,
      files: ['src/b.test.ts'],
      exitCode: 1,
      junitPath: shardDir(run, 'amp.fast.2', {
        content: xml(
          '<testsuite name="src/b.test.ts"><testcase classname="src/b.test.ts" name="b" time="0.1"><failure message="real failure"/></testcase></testsuite>',
        ),
      }),
    })
    const { summary } = await mergeRun({ runId: 'r-9', outcomes: [one, two], outPath: join(run, 'junit.xml') })
    const { suites } = await merged(summary)
    const b = suites.filter((suite) => suite.name === 'amp/fast/src/b.test.ts').flatMap((suite) => suite.cases)
    expect(b.map((testCase) => [testCase.name, testCase.result])).toEqual([['b', 'failed']])
    expect(summary.totals).toMatchObject({ tests: 2, passed: 1, failed: 1 })
    expect(summary.failures.map((failure) => [failure.name, failure.flaky])).toEqual([['b', true]])
    expect(summary.notes).toEqual([
      'amp.fast.2: 1 testcase(s) already merged from an earlier shard (same suite, classname and name): kept this shard\'s copy of 1, a worse result: "b" in amp/fast/src/b.test.ts (failure here over a pass from amp.fast.1)',
      'flaky: "b" in amp/fast/src/b.test.ts passed and failed in run r-9 (amp.fast.1, amp.fast.2); kept the failure',
    ])
    expect(exitCodeFor(summary)).toBe(1)
  })
})
