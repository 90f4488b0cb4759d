import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { fixture, runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()

describe('slices: one container tier as several Vitest processes on this machine', () => {
  test('slices: 2 in the config → two run folders <container>.<tier>.<slice>, one report with every file once', async () => {
    const dir = copyFixture('scale-slices')
    const { exitCode, stdout, stderr } = await runXtest(['run', '--runtime', 'local'], { cwd: dir })
    expect(exitCode, stderr).toBe(0)
    expect(stderr).toContain('start  host.fast.1 (2 files)')
    expect(stderr).toContain('start  host.fast.2 (2 files)')
    expect(stdout).toMatch(/host\s+fast\s+local\s+passed\s+4\s+0\s+0\s+0/)
    const [runId] = fs.readdirSync(path.join(dir, '.xtest/runs'))
    const runDir = path.join(dir, '.xtest/runs', runId!)
    expect(fs.readdirSync(runDir).sort()).toEqual([
      'host.fast.1',
      'host.fast.2',
      'junit.xml',
      'owner.json',
      'phases.json',
      'plan.json',
      'report.html',
    ])
    // Where the time went: the phases in order, and each step after the shards, the merge first.
    const phases = JSON.parse(fs.readFileSync(path.join(runDir, 'phases.json'), 'utf8'))
    const at = phases.sinceProcessStart
    expect(Object.keys(at)).toEqual(['planned', 'firstShardStarted', 'shardsDone', 'finished'])
    expect(at.planned <= at.firstShardStarted && at.firstShardStarted <= at.shardsDone && at.shardsDone <= at.finished).toBe(true)
    expect(phases.steps.map((s: { step: string }) => s.step)).toEqual([
      'merge',
      'storeResults',
      'recordTimings',
      'recordHistory',
      'warnQuarantine',
      'mergeCoverage',
      'writeSummaries',
      'annotate',
      'writeHtml',
      'prune',
      'pickExitCode',
    ])
    const files = ['host.fast.1', 'host.fast.2'].map(
      (id) => (JSON.parse(fs.readFileSync(path.join(runDir, id, 'shard.json'), 'utf8')) as { files: string[] }).files,
    )
    expect(files.flat().sort()).toEqual(['src/a.test.ts', 'src/b.test.ts', 'src/c.test.ts', 'src/d.test.ts'])
    const shard = JSON.parse(fs.readFileSync(path.join(runDir, 'host.fast.2', 'shard.json'), 'utf8'))
    expect(shard).toMatchObject({ id: 'host.fast.2', slice: 2 })
    expect(shard.command.join(' ')).toContain('--maxWorkers=')
    const junit = fs.readFileSync(path.join(dir, '.xtest/junit.xml'), 'utf8')
    expect([...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual([
      'host/fast/src/a.test.ts',
      'host/fast/src/b.test.ts',
      'host/fast/src/c.test.ts',
      'host/fast/src/d.test.ts',
    ])
  })

  test('--slices on the command line overrides the config; plan shows the slices', async () => {
    const one = await runXtest(['plan', '--slices', '1'], { cwd: fixture('scale-slices') })
    expect(one.stdout.split('\n').slice(0, 2)).toEqual(['container  tier  files', 'host       fast      4'])
    const three = await runXtest(['plan', '--slices', '3'], { cwd: fixture('scale-slices') })
    expect(three.stdout.split('\n').slice(0, 4)).toEqual([
      'container  tier  slice  files',
      'host       fast      1      2',
      'host       fast      2      1',
      'host       fast      3      1',
    ])
    const bad = await runXtest(['run', '--slices', 'many'], { cwd: fixture('scale-slices') })
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr.trim()).toBe("xtest: --slices expects a whole number ≥ 1 or 'auto', got 'many'")
  })

  test('slices in the config are validated', async () => {
    const dir = copyFixture('scale-slices')
    fs.writeFileSync(path.join(dir, 'xtest.config.json'), JSON.stringify({ containers: { host: { runtime: 'local', slices: 0 } } }))
    const { exitCode, stderr } = await runXtest(['plan'], { cwd: dir })
    expect(exitCode).toBe(2)
    expect(stderr.split('\n')[0]).toMatch(/^xtest: xtest.config.json: containers.host.slices: /)
  })
})
