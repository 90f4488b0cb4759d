import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  type ParsedJUnit,
  readJUnitFile,
  runPlainVitest,
  runShard,
  type ShardRun,
  schemaErrors,
  useProjects,
} from '../helpers/vitest-support/shard-runner.js'

const makeProject = useProjects()

const files = ['tests/tiers.test.ts', 'tests/module-tag.test.ts']
const tiers = ['fast', 'slow', 'superslow'] as const

describe('a file with fast, slow and superslow tests, run through the three tier shards', () => {
  const runs = {} as Record<(typeof tiers)[number], ShardRun>
  const reports = {} as Record<(typeof tiers)[number], ParsedJUnit>
  beforeAll(async () => {
    const project = makeProject('vitest-tiers')
    for (const tier of tiers) {
      runs[tier] = await runShard(project, { container: 'amp', tier, files })
      reports[tier] = readJUnitFile(runs[tier].junitPath)
    }
  })

  test('puts each test exactly once overall, in the tier it belongs to', () => {
    const names = (tier: (typeof tiers)[number]) => reports[tier].cases.map((c) => `${c.suite} > ${c.name}`).sort()
    expect(names('fast')).toEqual([
      'tests/tiers.test.ts > db test',
      'tests/tiers.test.ts > escapes <&> "quotes" \uFFFDbell red \u{1F600}',
      'tests/tiers.test.ts > fast one',
      'tests/tiers.test.ts > flaky',
      'tests/tiers.test.ts > marked skip',
      'tests/tiers.test.ts > skipped by author',
      'tests/tiers.test.ts > to do',
    ])
    expect(names('slow')).toEqual(['tests/tiers.test.ts > slow group > inherits slow', 'tests/tiers.test.ts > slow one'])
    expect(names('superslow')).toEqual([
      'tests/module-tag.test.ts > also by the module',
      'tests/module-tag.test.ts > tagged by the module',
      'tests/tiers.test.ts > slow group > superslow wins',
      'tests/tiers.test.ts > superslow one',
    ])
    const all = tiers.flatMap(names)
    expect(new Set(all).size).toBe(all.length)
  })

  test("runs only the shard's files, passes the tier's timeout, and finds the relative setup file", () => {
    for (const tier of tiers) {
      expect(runs[tier].exitCode, runs[tier].stdout + runs[tier].stderr).toBe(0)
      expect(reports[tier].suites.map((s) => s.name).sort()).toEqual([...files].sort())
      expect(reports[tier].cases.filter((c) => c.status === 'failed')).toEqual([])
    }
  })

  test('writes skip reasons, retries and the shard as properties', () => {
    const fast = new Map(reports.fast.cases.map((c) => [c.name, c]))
    expect(fast.get('skipped by author')).toMatchObject({ status: 'skipped', message: 'needs a GPU' })
    expect(fast.get('marked skip')).toMatchObject({ status: 'skipped', message: undefined })
    expect(fast.get('to do')).toMatchObject({ status: 'skipped', message: 'todo' })
    expect(fast.get('flaky')).toMatchObject({
      status: 'passed',
      flaky: ['first attempt fails'],
      systemOut: '[xtest] retryCount=1 flaky=true',
    })
    expect(reports.slow.suites[0]!.properties).toEqual({
      container: 'amp',
      tier: 'slow',
      image: 'img:1',
      image_id: '',
      shard: 'amp.slow',
      run_id: 'test-run',
      run_end_reason: 'passed',
      vitest_version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    })
  })

  test('every report validates against junit-10.xsd', async () => {
    for (const tier of tiers) expect(await schemaErrors(runs[tier].junitPath)).toBe('')
  })

  test('leaves a progress trace: collected and done per file, then the run end', () => {
    const events = fs
      .readFileSync(path.join(runs.slow.shardDir, 'progress.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(
      events
        .filter((e) => e.event === 'done')
        .map((e) => e.file)
        .sort(),
    ).toEqual([...files].sort())
    expect(events.find((e) => e.event === 'collected' && e.file === 'tests/tiers.test.ts')).toMatchObject({ tests: 2 })
    expect(
      events
        .filter((e) => e.event === 'test')
        .map((e) => e.name)
        .sort(),
    ).toEqual(['slow group > inherits slow', 'slow one'])
    expect(events.at(-1)).toMatchObject({ event: 'run-end', reason: 'passed' })
  })
})

describe("the shard set-up around the user's config", () => {
  test("XTEST_TIER_TAGS sets the tier tags' timeouts", async () => {
    const project = makeProject('vitest-tiers')
    const run = await runShard(project, {
      container: 'amp',
      tier: 'slow',
      files,
      tierTags: { slow: { timeout: 12_345 }, superslow: { timeout: 99_999 } },
      env: { EXPECT_SLOW_TIMEOUT: '12345' },
    })
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(readJUnitFile(run.junitPath).cases.find((c) => c.name === 'slow one')?.status).toBe('passed')
  })

  test("a --reporter from the user keeps the xtest reporter, and the user's reporter still prints", async () => {
    const project = makeProject('vitest-tiers')
    const run = await runShard(project, { container: 'amp', tier: 'fast', files, userArgs: ['--reporter=verbose'] })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('✓ tests/tiers.test.ts > fast one')
    expect(readJUnitFile(run.junitPath).cases).toHaveLength(7)
  })

  test('plain `vitest run` (no xtest) knows the tier tags and runs every file', async () => {
    const project = makeProject('vitest-tiers')
    const run = await runPlainVitest(project, ['--reporter=verbose'])
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toContain('tests/not-in-shard.test.ts > outside the shard')
    expect(run.stdout).toContain('✓ tests/tiers.test.ts > superslow one')
    expect(fs.existsSync(path.join(project, '.xtest'))).toBe(false)
  })
})
