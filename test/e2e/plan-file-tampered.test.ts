import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import { hashPlanRecord } from '../../src/plan/plan-record.js'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

// A tampered --plan file (ids used as paths, files outside the repo), even with a recomputed
// hash, is exit 2 with one line, before a run folder or any file exists.
const copyFixture = useTempFixtures()

test.each([
  [
    'a shard id that climbs out of the run folder',
    (p: any) => {
      p.shards[0].id = '../../../.git/hooks'
    },
    /shards\[0\]\.id "\.\.\/\.\.\/\.\.\/\.git\/hooks" is not the shard's id \(expected 'host\.fast'\)$/,
  ],
  [
    'a container the config does not have',
    (p: any) => {
      p.shards[0].container = 'ghost'
      p.shards[0].id = 'ghost.fast'
    },
    /container ghost of the plan is not in the config \(known: host\)$/,
  ],
  [
    'an absolute test file',
    (p: any) => {
      p.shards[0].files[0] = '/etc/passwd'
    },
    /shards\[0\]\.files\[0\] "\/etc\/passwd" is not a path inside the repository/,
  ],
  [
    'a test file outside the repo',
    (p: any) => {
      p.shards[0].files[0] = '../../outside.test.ts'
    },
    /shards\[0\]\.files\[0\] "\.\.\/\.\.\/outside\.test\.ts" is not a path inside the repository/,
  ],
  [
    'a tier outside the closed set',
    (p: any) => {
      p.shards[0].tier = 'hooks'
    },
    /shards\[0\] is not a shard \(container, tier, files\)$/,
  ],
])('%s', async (_what, tamper, line) => {
  const dir = copyFixture('scale-slices')
  const recorded = await runXtest(['run', '--runtime', 'local', '--slices', '1'], { cwd: dir })
  expect(recorded.exitCode, recorded.stderr).toBe(0)
  const [runId] = fs.readdirSync(path.join(dir, '.xtest/runs'))
  const record = JSON.parse(fs.readFileSync(path.join(dir, '.xtest/runs', runId!, 'plan.json'), 'utf8'))
  tamper(record.plan)
  record.hash = hashPlanRecord(record)
  const planFile = path.join(dir, 'tampered.json')
  fs.writeFileSync(planFile, JSON.stringify(record))
  fs.rmSync(path.join(dir, '.xtest'), { recursive: true })

  for (const args of [
    ['run', '--runtime', 'local', '--plan', planFile],
    ['plan', '--plan', planFile],
  ]) {
    const result = await runXtest(args, { cwd: dir })
    expect(result.exitCode, result.stderr).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr.trim()).toMatch(new RegExp(`^xtest: --plan ${planFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `))
    expect(result.stderr.trim()).toMatch(line)
  }
  expect(fs.existsSync(path.join(dir, '.xtest')), 'no run folder').toBe(false)
  expect(fs.existsSync(path.join(dir, '.git')), 'nothing written outside').toBe(false)
})

test('a plan.json without its hash is refused', async () => {
  const dir = copyFixture('scale-slices')
  await runXtest(['run', '--runtime', 'local', '--slices', '1'], { cwd: dir })
  const [runId] = fs.readdirSync(path.join(dir, '.xtest/runs'))
  const planFile = path.join(dir, '.xtest/runs', runId!, 'plan.json')
  const { hash: _, ...record } = JSON.parse(fs.readFileSync(planFile, 'utf8'))
  fs.writeFileSync(planFile, JSON.stringify(record))
  const result = await runXtest(['plan', '--plan', planFile], { cwd: dir })
  expect(result.exitCode).toBe(2)
  expect(result.stderr.trim()).toBe(`xtest: --plan ${planFile}: has no hash (a run folder's plan.json always has one)`)
})
