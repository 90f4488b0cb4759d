import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { findRepoRoot } from '../../src/run/repo-root.js'
import { hostIdentity, repoLabelOf } from '../../src/runtimes/owner-labels.js'
import { startTimeOf } from '../../src/runtimes/process-sweep.js'
import { fixture, runXtest } from '../helpers/cli.js'
import { BASE_IMAGE, containersWith, docker, ensureEngineUser, requireEngine, runXtestAs, useLeftovers } from '../helpers/docker.js'

// The start-of-run sweep and `xtest clean` remove a container only when its owner is proven dead: this repository,
// same host, boot and pid namespace, its pid gone or reused. Every container here is our own (label
// xtest.sweeptest=<id>); the sweep never touches another repository's, so other runs on this engine are safe.
const cwd = fixture('docker-many')
const leftovers = useLeftovers()
const testId = `sweeptest-${crypto.randomBytes(4).toString('hex')}`
const here = hostIdentity()
const ourRepo = repoLabelOf(findRepoRoot(cwd))

beforeAll(() => requireEngine())
afterAll(async () => {
  const ours = await containersWith(`xtest.sweeptest=${testId}`)
  if (ours.length) await docker(['rm', '-f', ...ours.map((line) => line.split(' ')[0]!)])
})

async function deadPid(): Promise<number> {
  const child = execa('true')
  const pid = child.pid!
  await child
  return pid
}

async function create(name: string, labels: Record<string, string>): Promise<string> {
  const args = ['create', '--label', `xtest.sweeptest=${testId}`, '--label', `xtest.case=${name}`, '--label', `xtest.run=${testId}-${name}`]
  for (const [key, value] of Object.entries(labels)) args.push('--label', `${key}=${value}`)
  const made = await docker([...args, BASE_IMAGE, 'true'])
  expect(made.exitCode, made.stderr).toBe(0)
  return made.stdout
}

const exists = async (id: string) => (await docker(['inspect', '-f', '{{.Id}}', id])).exitCode === 0

async function makeCases() {
  const dead = await deadPid()
  const owner = (pid: number, start: number) => ({
    'xtest.pid': String(pid),
    'xtest.owner': `${pid}:${start}`,
    'xtest.host': here.host,
    'xtest.boot': here.boot,
    'xtest.pidns': here.pidNamespace,
  })
  return {
    // A live run of another repository in another CI job container (`--network host`: same hostname); its pid
    // means nothing here. The old sweep removed it.
    otherRepo: await create('other-repo', { ...owner(dead, 123), 'xtest.repo': 'ffffffffffffffff' }),
    otherNamespace: await create('other-ns', { ...owner(dead, 123), 'xtest.repo': ourRepo, 'xtest.pidns': 'pid:[1]' }),
    otherBoot: await create('other-boot', { ...owner(dead, 123), 'xtest.repo': ourRepo, 'xtest.boot': 'another-boot' }),
    // A container of an older xtest: no owner labels, nothing proves its run gone.
    unlabelled: await create('unlabelled', { 'xtest.pid': String(dead), 'xtest.host': here.host, 'xtest.repo': ourRepo }),
    alive: await create('alive', { ...owner(process.pid, startTimeOf(process.pid)!), 'xtest.repo': ourRepo }),
    dead: await create('dead', { ...owner(dead, 123), 'xtest.repo': ourRepo }),
    reused: await create('reused', { ...owner(process.pid, startTimeOf(process.pid)! + 1), 'xtest.repo': ourRepo }),
  }
}

test('xtest clean removes only this repository’s containers whose owner is proven dead', async () => {
  const ids = await makeCases()
  const clean = await runXtest(['clean'], { cwd })
  expect(clean.exitCode, clean.stderr).toBe(0)
  for (const kept of [ids.otherRepo, ids.otherNamespace, ids.otherBoot, ids.unlabelled, ids.alive]) expect(await exists(kept)).toBe(true)
  for (const gone of [ids.dead, ids.reused]) expect(await exists(gone)).toBe(false)
}, 60_000)

test('the start-of-run sweep: the same rule (another repository’s live container survives)', async () => {
  const ids = await makeCases()
  const junit = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-sweep-')), 'junit.xml')
  const run = await runXtest(['run', '--config', 'xtest.sleep.config.json', '--container', 's4', '--junit', junit], {
    cwd,
    env: { SLEEP_MS: '10' },
  })
  leftovers.runDirOf(run.stderr, cwd)
  expect(run.exitCode, run.stderr).toBe(0)
  for (const kept of [ids.otherRepo, ids.otherNamespace, ids.otherBoot, ids.unlabelled, ids.alive]) expect(await exists(kept)).toBe(true)
  for (const gone of [ids.dead, ids.reused]) expect(await exists(gone)).toBe(false)
}, 120_000)

test('as a docker-group user: xtest clean keeps the same rule', async () => {
  const user = await ensureEngineUser()
  const ids = await makeCases()
  const clean = await runXtestAs(user, ['clean'], { cwd })
  expect(clean.exitCode, clean.stderr).toBe(0)
  for (const kept of [ids.otherRepo, ids.otherNamespace, ids.otherBoot, ids.unlabelled, ids.alive]) expect(await exists(kept)).toBe(true)
  for (const gone of [ids.dead, ids.reused]) expect(await exists(gone)).toBe(false)
}, 60_000)
