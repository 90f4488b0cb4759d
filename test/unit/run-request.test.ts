import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { planCommand } from '../../src/cli/commands/plan.js'
import { runCommand } from '../../src/cli/commands/run.js'
import { XtestError } from '../../src/core/errors.js'

// Every choice of `xtest run` / `xtest plan` is checked before any work. planProject (the discovery of the
// config's include globs, which can take minutes in a large repository) is spied on: a refused flag never reaches it.
const planned = vi.hoisted(() => ({ calls: 0 }))
vi.mock('../../src/plan/io/plan-project.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/plan/io/plan-project.js')>()
  return {
    ...original,
    planProject: (...args: Parameters<typeof original.planProject>) => {
      planned.calls++
      return original.planProject(...args)
    },
  }
})

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-request-'))
fs.writeFileSync(
  path.join(root, 'xtest.config.json'),
  JSON.stringify({ containers: { host: { runtime: 'local' }, other: { runtime: 'local', include: ['other/**'] } } }),
)
fs.writeFileSync(path.join(root, 'plan.json'), '{"version": 1, "shards": "tampered"}')
const config = path.join(root, 'xtest.config.json')
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
beforeEach(() => {
  planned.calls = 0
})

const sink = { write: () => true } as unknown as NodeJS.WritableStream
const out = { stdout: sink, stderr: sink } as never

async function refusal(work: Promise<unknown>): Promise<{ code: number; message: string }> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  )
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
    [{ junit: root }, /--junit .*a folder is not a file to write/],
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
    expect(await refusal(run({ config, containers: ['nope'] }))).toMatchObject({
      code: 2,
      message: expect.stringMatching(/unknown container 'nope'/),
    })
    expect(await refusal(plan({ config, tiers: ['nope'] }))).toMatchObject({ code: 2 })
    expect(planned.calls).toBe(0)
    const done = await plan({ config, containers: ['host'], tiers: ['fast'] })
    expect(planned.calls).toBe(1)
    expect(done.request.containers).toEqual(['host'])
    // cwd: where the config is found, as exec()'s
    expect((await plan({ cwd: root, containers: 'other' })).request.config.configPath).toBe(config)
  })
})

// A library caller's mistakes (a misspelt option, a string for an array, a number for a path) are one XtestError
// (exit 2) naming the culprit, before any discovery: not a TypeError, and not a silently different run.
describe('plan(), run(), merge() and exec() refuse hostile values before any work', () => {
  test.each([
    ['run', { config, tier: 'slow' }, /run\(\): unknown option 'tier' \(known: config, cwd, containers, tiers,/],
    ['run', null, /run\(\): expects an object of options, got null/],
    ['run', 'fast', /run\(\): expects an object of options, got "fast"/],
    ['run', { config, vitestArgs: '--bail' }, /vitestArgs expects an array of strings, got "--bail"/],
    ['run', { config, env: 'CI=1' }, /env expects an object of variables/],
    ['run', { config, junit: 5 }, /--junit expects a file path, got 5/],
    ['run', { config, summary: {} }, /--summary expects a file path/],
    ['run', { config: 5 }, /--config expects a file path, got 5/],
    ['run', { config, planFile: 5 }, /--plan expects a file path, got 5/],
    ['run', { config, cores: -1 }, /--cores expects a whole number ≥ 1, got '-1'/],
    ['plan', { config, container: 'host' }, /plan\(\): unknown option 'container'/],
    ['run', { config, tiers: [] }, /--tier: no tier given \(known: fast, slow, superslow, all\)/],
    ['run', { config, containers: [] }, /--container: no container given \(known: host, other\)/],
    ['plan', { config, containers: '' }, /--container: no container given/],
  ])('%s(%o)', async (name, input, message) => {
    const facade = await import('../../src/run/facade.js')
    const refused = await refusal(facade[name as 'run'](input as never))
    expect(refused).toMatchObject({ code: 2, message: expect.stringMatching(message) })
    expect(planned.calls).toBe(0)
  })

  test('merge() needs an array of files and an output; exec() an options object', async () => {
    const { merge } = await import('../../src/run/facade.js')
    const { exec } = await import('../../src/run/exec.js')
    expect(await refusal(merge('a.xml' as never, { output: path.join(root, 'm.xml') }))).toMatchObject({
      code: 2,
      message: expect.stringMatching(/files expects an array/),
    })
    expect(await refusal(merge([config], undefined as never))).toMatchObject({
      code: 2,
      message: expect.stringMatching(/needs \{ output: 'merged.xml' \}/),
    })
    expect(await refusal(exec(undefined as never))).toMatchObject({
      code: 2,
      message: expect.stringMatching(/exec: expects \{ container: NAME, argv/),
    })
    expect(await refusal(exec({ container: 'host', argv: ['node', '-e', 'a\0b'], config }))).toMatchObject({
      code: 2,
      message: expect.stringMatching(/holds a NUL byte/),
    })
  })
})
