// The monorepo fixture on the real engine, each container in its own image.
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { type CliResult, fixture, runXtest } from '../helpers/cli.js'
import { type MergedReport, readMergedJunit, readShard, requireEngine, shardDirs, spawnXtest, useLeftovers } from '../helpers/docker.js'

const cwd = fixture('monorepo')
const leftovers = useLeftovers()
const OPT_SKIP = "missing module 'opt-solver' (container opt)"

let planned: string[]
let dockerRun: { result: CliResult; dir: string; report: MergedReport; defaultCopy: string }
let localRun: { result: CliResult; dir: string; report: MergedReport }

beforeAll(async () => {
  await requireEngine()
  const plan = await runXtest(['plan', '--json'], { cwd })
  expect(plan.exitCode, plan.stderr).toBe(0)
  planned = (JSON.parse(plan.stdout) as { shards: { id: string }[] }).shards.map((s) => s.id).sort()
  // One docker and one local run of everything, shared by the tests below (the images are built once, by hash).
  const docker = await runXtest(['run', '--all', '--runtime', 'docker'], { cwd })
  const dockerDir = leftovers.runDirOf(docker.stderr, cwd)
  // Read the default copy (.xtest/junit.xml) at once: another run of this fixture would replace it.
  const defaultCopy = fs.readFileSync(path.join(cwd, '.xtest/junit.xml'), 'utf8')
  dockerRun = { result: docker, dir: dockerDir, report: readMergedJunit(path.join(dockerDir, 'junit.xml')), defaultCopy }
  const local = await runXtest(['run', '--all', '--runtime', 'local'], { cwd })
  const localDir = leftovers.runDirOf(local.stderr, cwd)
  localRun = { result: local, dir: localDir, report: readMergedJunit(path.join(localDir, 'junit.xml')) }
}, 240_000)

const caseOf = (report: MergedReport, suite: string, name: string) => report.cases.find((c) => c.suite === suite && c.name === name)

describe('xtest run --all --runtime docker in fixtures/monorepo', () => {
  test('exits 0 and runs every planned shard, amp and opt each in its own image', () => {
    const { result, dir } = dockerRun
    expect(result.exitCode, result.stderr).toBe(0)
    expect(planned).toEqual(['amp.fast', 'amp.slow', 'amp.superslow', 'opt.fast', 'opt.slow'])
    expect(shardDirs(dir)).toEqual(planned)
    const shards = planned.map((id) => readShard(dir, id))
    for (const shard of shards) {
      expect(shard, shard.id).toMatchObject({ runtime: 'docker', exitCode: 0 })
      expect(shard.ended, shard.id).toBeUndefined()
      expect(shard.image, shard.id).toMatch(new RegExp(`^xtest-${shard.container}:[0-9a-f]{16}$`))
      expect(shard.imageId, shard.id).toMatch(/^sha256:[0-9a-f]{64}$/)
    }
    const imagesOf = (container: string) => new Set(shards.filter((s) => s.container === container).map((s) => s.imageId))
    expect(imagesOf('amp').size).toBe(1)
    expect(imagesOf('opt').size).toBe(1)
    expect([...imagesOf('amp')][0]).not.toBe([...imagesOf('opt')][0])
  })

  test('the merged .xtest/junit.xml holds every test once, passed, with the image of its container', () => {
    const { report, dir, defaultCopy } = dockerRun
    expect(defaultCopy).toBe(fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8'))
    expect(report.name).toBe(`xtest run ${path.basename(dir)}`)
    expect({ tests: report.tests, failures: report.failures, errors: report.errors }).toEqual({ tests: 11, failures: 0, errors: 0 })
    expect(report.cases.filter((c) => c.status !== 'passed')).toEqual([])
    expect(report.cases.map((c) => `${c.suite} > ${c.name}`).sort()).toEqual([
      'amp/fast/app/lib/math.test.ts > math > adds',
      'amp/fast/app/lib/math.test.ts > math > averages',
      'amp/fast/app/lib/math.test.ts > math > is not slow just because the name says "slow"',
      'amp/fast/app/lib/stats.test.ts > mean of one value',
      'amp/slow/app/lib/stats.test.ts > large inputs > mean of a million values',
      'amp/superslow/app/e2e.test.ts > the whole app, end to end',
      'amp/superslow/app/lib/stats.test.ts > mean over a long series',
      'opt/fast/app/legacy/solver-compat.test.ts > legacy callers still get a solution',
      'opt/fast/optimizer/runtime.test.ts > runs with the tier and container xtest set',
      'opt/fast/optimizer/solver.test.ts > finds the minimum',
      'opt/slow/optimizer/solver.test.ts > finds the minimum of a long series',
    ])
    for (const suite of report.suites) {
      const container = suite.name.split('/')[0]!
      expect(suite.properties, suite.name).toMatchObject({
        runtime: 'docker',
        container,
        image: readShard(dir, `${container}.${suite.properties.tier}`).image,
      })
    }
  })

  test("opt's image has opt-solver: 'finds the minimum' passes there, and is skipped with the reason on the local runtime", () => {
    expect(caseOf(dockerRun.report, 'opt/fast/optimizer/solver.test.ts', 'finds the minimum')?.status).toBe('passed')
    expect(localRun.result.exitCode, localRun.result.stderr).toBe(0)
    const local = caseOf(localRun.report, 'opt/fast/optimizer/solver.test.ts', 'finds the minimum')
    expect(local).toMatchObject({ status: 'skipped', message: OPT_SKIP })
    expect(caseOf(localRun.report, 'opt/slow/optimizer/solver.test.ts', 'finds the minimum of a long series')).toMatchObject({
      status: 'skipped',
      message: OPT_SKIP,
    })
  })

  test('--container opt --tier fast runs only that shard', async () => {
    const result = await runXtest(['run', '--container', 'opt', '--tier', 'fast', '--runtime', 'docker'], { cwd })
    expect(result.exitCode, result.stderr).toBe(0)
    const dir = leftovers.runDirOf(result.stderr, cwd)
    expect(shardDirs(dir)).toEqual(['opt.fast'])
    expect(readShard(dir, 'opt.fast')).toMatchObject({
      runtime: 'docker',
      exitCode: 0,
      imageId: readShard(dockerRun.dir, 'opt.fast').imageId,
    })
    const report = readMergedJunit(path.join(dir, 'junit.xml'))
    expect(new Set(report.suites.map((s) => s.name.split('/').slice(0, 2).join('/')))).toEqual(new Set(['opt/fast']))
    expect(caseOf(report, 'opt/fast/optimizer/solver.test.ts', 'finds the minimum')?.status).toBe('passed')
  })

  test.concurrent.for([
    ['amp', 7],
    ['opt', 0],
  ] as const)(
    "xtest exec --container %s: importing opt-solver exits %i, and that is xtest's exit code",
    async ([container, code], { expect }) => {
      const child = spawnXtest(
        [
          'exec',
          '--container',
          container,
          '--runtime',
          'docker',
          '--',
          'node',
          '-e',
          "import('opt-solver').then(() => process.exit(0), () => process.exit(7))",
        ],
        { cwd },
      )
      if (child.pid) leftovers.pids.add(child.pid)
      const result = await child
      expect(result.exitCode, String(result.stderr)).toBe(code)
    },
  )
})

describe('the same fixture with --runtime local', () => {
  test('runs the same shards as the docker run: same shard ids, same files, same testcases', () => {
    expect(shardDirs(localRun.dir)).toEqual(shardDirs(dockerRun.dir))
    for (const id of planned) {
      const files = (dir: string) => readShard(dir, id).files as string[]
      expect(files(localRun.dir), id).toEqual(files(dockerRun.dir))
      expect(readShard(localRun.dir, id)).toMatchObject({ runtime: 'local', exitCode: 0 })
    }
    const names = (report: MergedReport) => report.cases.map((c) => `${c.suite} > ${c.name}`).sort()
    expect(names(localRun.report)).toEqual(names(dockerRun.report))
  })
})
