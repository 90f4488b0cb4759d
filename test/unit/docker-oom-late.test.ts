import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { expect, test } from 'vitest'
import { ampFastSpec, ampRuntime, fakeEngine, repoRoot } from '../helpers/fake-engine.js'

// A container ended by a SIGKILL xtest did not send (exit 137) while the engine's OOMKilled flag stays false: dockerd
// loses that flag when containerd's OOM event comes after the exit event, but it logs the event. The shard is out of
// memory when the engine logged an `oom` for it, killed otherwise; a kill of xtest's own never asks.

interface Late {
  /** What the engine's events answer: actions, or an error. */
  events: string[] | Error
  /** xtest kills the shard itself (its timeout) before the container exits. */
  timeoutMs?: number
}

async function shardEndedBy137(late: Late) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-oom-late-'))
  const asked: Array<{ actions: string[]; since: number; until: number }> = []
  let endWait: (value: { StatusCode: number }) => void = () => {}
  const engine = fakeEngine({
    startContainer: async () => {
      if (!late.timeoutMs) setTimeout(() => endWait({ StatusCode: 137 }), 20)
    },
    waitContainer: () =>
      new Promise((resolve) => {
        endWait = resolve
      }),
    inspectContainer: async () => ({ State: { ExitCode: 137, OOMKilled: false } }),
    killContainer: async () => endWait({ StatusCode: 137 }),
    containerEvents: async (_id, actions, since, until) => {
      asked.push({ actions, since, until })
      if (late.events instanceof Error) throw late.events
      return late.events
    },
  })
  const runtime = ampRuntime(engine, { memory: '300m' })
  const shardDir = path.join(work, 'amp.fast')
  fs.mkdirSync(shardDir, { recursive: true })
  const spec = ampFastSpec(work, { runId: 'r', shardDir, timeoutMs: late.timeoutMs ?? 60_000 })
  const startedAt = Date.now() / 1000
  const outcome = await runtime.runShard(spec, new AbortController().signal)
  fs.rmSync(work, { recursive: true, force: true })
  return { outcome, asked, startedAt }
}

test('an oom the engine logged after the exit makes the shard out of memory, with its limit', async () => {
  const { outcome, asked, startedAt } = await shardEndedBy137({ events: ['oom'] })
  expect(outcome).toMatchObject({ exitCode: 137, ended: 'oom', cause: 'out of memory: container amp exceeded its memory limit 300m' })
  // From before the container started until a second past its exit: a late event is still in the answer.
  expect(asked).toHaveLength(1)
  expect(asked[0]!.actions).toEqual(['oom'])
  expect(asked[0]!.since).toBeLessThanOrEqual(startedAt)
  expect(asked[0]!.until).toBeGreaterThan(Date.now() / 1000 - 1 + 0.5)
})

test.each([
  ['no oom logged', [] as string[]],
  ['only other actions logged', ['die', 'kill']],
  ['the engine cannot answer', new Error('events: 500')],
])('%s: the shard stays killed by SIGKILL', async (_, events) => {
  const { outcome, asked } = await shardEndedBy137({ events })
  expect(asked).toHaveLength(1)
  expect(outcome.ended).toBeUndefined()
  expect(outcome.cause).toBe(
    "killed by SIGKILL (exit 137) not sent by xtest: a test's kill, or the OOM killer at the memory limit 300m (the engine reported no out-of-memory)",
  )
})

test("xtest's own kill (the tier timeout) never asks the engine for an oom", async () => {
  const { outcome, asked } = await shardEndedBy137({ events: ['oom'], timeoutMs: 200 })
  expect(asked).toEqual([])
  expect(outcome.ended).toBe('timeout')
})

test("`xtest exec` passes a command's exit 137 on as it is, without asking the engine for an oom", async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-oom-late-'))
  let asked = 0
  const engine = fakeEngine({
    waitContainer: async () => ({ StatusCode: 137 }),
    inspectContainer: async () => ({ State: { ExitCode: 137, OOMKilled: false } }),
    containerEvents: async () => {
      asked++
      return ['oom']
    },
  })
  const sink = new PassThrough().resume()
  const request = { container: 'amp', argv: ['node', '-v'], root: repoRoot, repoRoot, cwd: repoRoot, runId: 'r', env: {} }
  const mounts = { readOnly: true, writable: [], outputDir: work }
  const code = await ampRuntime(engine).exec({ ...request, mounts, stdout: sink, stderr: sink }, new AbortController().signal)
  fs.rmSync(work, { recursive: true, force: true })
  expect(code).toBe(137)
  expect(asked).toBe(0)
})
