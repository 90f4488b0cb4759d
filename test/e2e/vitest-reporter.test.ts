import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readJUnit } from '../../src/report/read-junit.js'
import { readShardReport } from '../../src/report/read-shard-report.js'
import { DEFAULT_LIMITS } from '../../src/report/types.js'
import { runXtest } from '../helpers/cli.js'
import {
  makeProject,
  type ParsedJUnit,
  readJUnitFile,
  removeProjects,
  runShard,
  type ShardRun,
  schemaErrors,
} from '../helpers/vitest-support/shard-runner.js'

afterAll(removeProjects)

// vitest-failures has no Vitest config at all: the wrapper alone brings the plugin and the reporter.
describe('the shard reporter on failures, in a project without a Vitest config', () => {
  let run: ShardRun
  let report: ParsedJUnit
  const byName = (name: string) => report.cases.find((c) => c.name === name)
  beforeAll(async () => {
    const files = ['failing.test.ts', 'load-error.test.ts', 'hook-error.test.ts', 'gone.test.ts']
    run = await runShard(makeProject('vitest-failures'), { container: 'amp', tier: 'fast', files })
    report = readJUnitFile(run.junitPath)
  })

  test('validates against junit-10.xsd, with characters XML forbids replaced', async () => {
    expect(run.exitCode).toBe(1)
    expect(await schemaErrors(run.junitPath)).toBe('')
    const xml = fs.readFileSync(run.junitPath, 'utf8')
    expect(xml).not.toMatch(/[\u0000\u001b]/)
    expect(byName('fails with characters XML forbids')?.body).toContain('Received: "nul \uFFFD esc  red"')
  })

  test('writes report.json beside it, which reads back as exactly what the JUnit reads back as', async () => {
    const fromJson = await readShardReport(run.junitPath, DEFAULT_LIMITS)
    const fromXml = await readJUnit(run.junitPath, DEFAULT_LIMITS)
    expect(fromJson).toMatchObject({ ok: true, value: { notes: [] } })
    expect(fromXml.ok && fromXml.value.report.suites.length).toBeGreaterThan(3)
    expect(JSON.stringify(fromJson.ok && fromJson.value.report)).toBe(JSON.stringify(fromXml.ok && fromXml.value.report))
  })

  test('keeps every error of a test, and makes retries visible', () => {
    expect(byName('soft assertions fail twice')).toMatchObject({ status: 'failed', message: 'expected 1 to be 2 // Object.is equality' })
    expect(byName('soft assertions fail twice')?.body).toContain('expected 2 to be 3')
    expect(byName('always fails')).toMatchObject({ status: 'failed', systemOut: '[xtest] retryCount=1 flaky=false' })
    expect(byName('flaky')).toMatchObject({
      status: 'passed',
      flaky: ['attempt 1 fails', 'attempt 2 fails'],
      systemOut: '[xtest] retryCount=2 flaky=true',
    })
  })

  test('turns unhandled errors, load failures, hook failures and unrun files into failing testcases', () => {
    const failed = report.cases.filter((c) => c.status === 'failed').map((c) => [c.suite, c.name, c.type, c.message])
    expect(failed).toEqual(
      expect.arrayContaining([
        ['load-error.test.ts', 'load-error.test.ts', 'Error', 'load boom'],
        ['hook-error.test.ts', 'broken setup', 'Error', 'hook boom'],
        ['unhandled errors', 'unhandled error 1 (during failing.test.ts > leaves an unhandled error)', 'Error', 'unhandled boom'],
        ['gone.test.ts', 'gone.test.ts', 'not_collected', 'the shard was given this file, but Vitest did not run it'],
      ]),
    )
    expect(byName('broken setup > skipped by the failed hook')?.status).toBe('skipped')
    expect(byName('unaffected')?.status).toBe('passed')
  })
})

// vitest-projects: two projects that do not extend the root config, one that does.
describe('the shard in a config with projects', () => {
  test('runs each listed file in the projects whose include matches it, and no other file', async () => {
    const files = ['unit/a.test.ts', 'integ/b.test.ts', 'unit/shared.test.ts']
    const run = await runShard(makeProject('vitest-projects'), { container: 'amp', tier: 'fast', files, userArgs: ['--reporter=verbose'] })
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    // Vitest 5 extends inline projects by default: the plugin must not be added to them a second time.
    expect(run.stdout + run.stderr).not.toContain('applies the same plugin multiple times')
    expect(await schemaErrors(run.junitPath)).toBe('')
    const report = readJUnitFile(run.junitPath)
    expect(report.cases.map((c) => `${c.suite} > ${c.name}`).sort()).toEqual([
      'integ/b.test.ts > integ b',
      'unit/a.test.ts > unit a',
      'unit/shared.test.ts > shared',
      'unit/shared.test.ts > shared',
    ])
    expect(report.suites.map((s) => `${s.properties.project} ${s.name}`).sort()).toEqual([
      'both unit/shared.test.ts',
      'integ integ/b.test.ts',
      'unit unit/a.test.ts',
      'unit unit/shared.test.ts',
    ])
  })
})

describe('the shard reporter when the worker dies', () => {
  test('writes the collected tests without a final state as not_finished, and the crash as an unhandled error', async () => {
    const run = await runShard(makeProject('vitest-crash'), { container: 'amp', tier: 'fast', files: ['crash.test.ts'] })
    expect(run.exitCode).toBe(1)
    expect(await schemaErrors(run.junitPath)).toBe('')
    const { cases } = readJUnitFile(run.junitPath)
    expect(cases.filter((c) => c.suite === 'crash.test.ts').map((c) => [c.name, c.type])).toContainEqual([
      'kills its worker',
      'not_finished',
    ])
    expect(cases.find((c) => c.suite === 'unhandled errors')?.body).toContain('Caused by: Error: Worker exited unexpectedly')
  })
})

// One JUnit writer (src/core/junit-write.ts) serves the shard's junit.xml and the merged report.
describe('the shard file and the merged report come from the same writer', () => {
  const testcases = (file: string): string[] =>
    fs.readFileSync(file, 'utf8').match(/^ {4}<testcase .*?(?:\/>$|>\n[\s\S]*?\n {4}<\/testcase>$)/gm) ?? []

  test('a long multibyte failure and an unrun file are written byte for byte alike, cut to 64 KiB of UTF-8', async () => {
    const run = await runShard(makeProject('vitest-failures'), {
      container: 'amp',
      tier: 'fast',
      files: ['long-message.test.ts', 'gone.test.ts'],
    })
    expect(run.exitCode).toBe(1)
    const merged = path.join(run.shardDir, 'merged.xml')
    const result = await runXtest(['merge', run.junitPath, '-o', merged], { cwd: run.shardDir })
    expect(result.exitCode, result.stderr).toBe(1)
    expect(await schemaErrors(merged)).toBe('')
    const shard = testcases(run.junitPath)
    expect(shard).toHaveLength(2)
    expect(testcases(merged)).toEqual(shard)
    const message = /<failure message="([^"]*)" type="Error"/.exec(shard.join('\n'))?.[1] ?? ''
    // The cap counts UTF-8 bytes, and both cuts fall between characters: no U+FFFD, whole characters on both sides.
    expect(Buffer.byteLength(message.replace(/&#10;/g, '\n'))).toBeLessThanOrEqual(64 * 1024)
    expect(Buffer.byteLength(message)).toBeGreaterThan(60 * 1024)
    expect(message).toMatch(/^(?:é漢😀)+(?:é|é漢)?&#10;\[xtest: \d+ of 180000 bytes cut here\]&#10;(?:漢😀|😀)?(?:é漢😀)+$/u)
  })
})
