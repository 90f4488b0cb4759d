import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { runCommand } from '../../src/cli/commands/run.js'
import { planCommand } from '../../src/cli/commands/plan.js'
import { XtestError } from '../../src/core/errors.js'

// Issue 13: every choice of `xtest run` / `xtest plan` is checked before any work. planProject (the discovery of the
// config's include globs, which can take minutes in a large repository) is spied on: a refused flag never reaches it.
const planned = vi.hoisted(() => ({ calls: 0 }))
vi.mock('../../src/plan/io/plan-project.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/plan/io/plan-project.js')>()
  return { ...original, planProject: (...args: Parameters<typeof original.planProject>) => { planned.calls++; return original.planProject(...args) } }
})

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-request-'))
fs.writeFileSync(path.join(root, 'xtest.config.json'), JSON.stringify({ containers: { host: { runtime: 'local' }, other: { runtime: 'local', include: ['other/**'] } } }))
fs.writeFileSync(path.join(root, 'plan.json'), '{"version": 1, "shards": "tampered"}')
const config = path.join(root, 'xtest.config.json')
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
beforeEach(() => { planned.calls = 0 })

const sink = { write: () => true } as unknown as NodeJS.WritableStream
const out = { stdout: sink, stderr: sink } as never

async function refusal(work: Promise<unknown>): Promise<{ code: number; message: string }> {
  const error = await work.then(() => undefined, (caught: unknown) => caught)
  expect(error).toBeInstanceOf(XtestError)
  return { code: (error as XtestError).exitCode, message: (error as XtestError).message }
}

describe('the run request is checked before any discovery', () => {
  test.each([
    [{ container: 'nope' }, /unknown container 'nope' \(known: host, other\)/],
    [{ container: 'nope', plan: path.join(root, 'plan.json') }, /unknown container 'nope'/],
    [{ tier: 'fastest' }, /unknown tier 'fastest'/],
    [{ shard: '3/2' }, /--shard expects I\/N/],
    [{ slices: 'many' }, /--slices expects/],
    [{ plan: path.join(root, 'plan.json') }, /--plan .*plan\.json/],
    [{ plan: path.join(root, 'missing.json') }, /--plan .*missing\.json: cannot read it/],
    [{ concurrency: '0' }, /--concurrency expects a whole number/],
    [{ runtime: 'podman-ish' }, /--runtime expects one of auto, docker, local/],
    [{ progress: 'loud' }, /--progress expects one of tty, plain, none/],
    [{ failed: true, shard: '1/2' }, /--failed cannot be combined with --shard/],
    [{ junit: root }, /--junit .*not a regular file/],
  ])('xtest run %o: exit 2, planProject never called', async (flags, message) => {
    const refused = await refusal(runCommand({ config, ...flags }, out, {}))
    expect(refused.message).toMatch(message)
    expect(refused.code).toBe(2)
    expect(planned.calls).toBe(0)
  })

  test.each([
    [{ container: 'nope' }, /unknown container 'nope'/],
    [{ tier: 'nope' }, /unknown tier 'nope'/],
  ])('xtest plan %o: exit 2, planProject never called', async (flags, message) => {
    const refused = await refusal(planCommand({ config, ...flags }, out))
    expect(refused.message).toMatch(message)
    expect(refused.code).toBe(2)
    expect(planned.calls).toBe(0)
  })

  test('a library call is checked the same way', async () => {
    const { run, plan } = await import('../../src/run/facade.js')
    expect(await refusal(run({ config, containers: ['nope'] }))).toMatchObject({ code: 2, message: expect.stringMatching(/unknown container 'nope'/) })
    expect(await refusal(plan({ config, tiers: ['nope'] }))).toMatchObject({ code: 2 })
    expect(planned.calls).toBe(0)
    const done = await plan({ config, containers: ['host'], tiers: ['fast'] })
    expect(planned.calls).toBe(1)
    expect(done.request.containers).toEqual(['host'])
  })
})
