// The packed package, installed from its tarball into a fresh repo, driving the real engine: the bundled CLI
// finds its own Vitest plugin, builds the fixture's images and runs a shard in each.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { containersWith, readMergedJunit, requireEngine } from '../helpers/docker.js'
import { createPackedRepo, type PackedRepo } from '../helpers/packed-repo.js'

let packed: PackedRepo

beforeAll(async () => {
  await requireEngine()
  packed = await createPackedRepo('monorepo')
}, 240_000)

afterAll(() => packed?.remove())

test('npx xtest run --container amp --container opt --runtime docker: both images, one merged report, nothing left', async () => {
  const { exitCode, stdout, stderr } = await packed.xtest(['run', '--container', 'amp', '--container', 'opt', '--runtime', 'docker'])
  expect(exitCode, `${stdout}\n${stderr}`).toBe(0)
  expect(stdout).toMatch(/amp\s+fast\s+passed/)
  expect(stdout).toMatch(/opt\s+fast\s+passed/)
  const report = readMergedJunit(path.join(packed.repo, '.xtest/junit.xml'))
  // opt-solver is only in the opt image: its guarded test passes there, and there is no skip anywhere.
  expect(report.cases.find((c) => c.suite === 'opt/fast/optimizer/solver.test.ts')?.status).toBe('passed')
  expect(report.cases.filter((c) => c.status !== 'passed')).toEqual([])
  const [run] = fs.readdirSync(path.join(packed.repo, '.xtest/runs'))
  expect(await containersWith(`xtest.run=${run}`)).toEqual([])
}, 180_000)
