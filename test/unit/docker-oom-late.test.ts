import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { expect, test } from 'vitest'
import { resolveConfig } from '../../src/config/resolve.js'
import type { ShardSpec } from '../../src/core/shard.js'
import { DockerRuntime } from '../../src/runtimes/docker.js'
import type { EngineClient } from '../../src/runtimes/engine-client.js'

// A container ended by a SIGKILL xtest did not send (exit 137) while the engine's OOMKilled flag stays false: dockerd
// loses that flag when containerd's OOM event comes after the exit event, but it logs the event. The shard is out of
// memory when the engine logged an `oom` for it, killed otherwise; a kill of xtest's own never asks.
const repoRoot = path.resolve(import.meta.dirname, '../..')

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
  const unused = async (): Promise<never> => {
    throw new Error('not used by a shard')
  }
  const engine: EngineClient = {
    endpoint: 'fake://engine',
    createContainer: async () => 'c1',
    attachContainer: async () => {
      const s = new PassThrough()
      setTimeout(() => s.end(), 1)
      return s
    },
    startContainer: async () => {
      if (!late.timeoutMs) setTimeout(() => endWait({ StatusCode: 137 }), 20)
    },
    waitContainer: () =>
      new Promise((resolve) => {
        endWait = resolve
      }),
    inspectContainer: async () => ({ State: { ExitCode: 137, OOMKilled: false } }),
    killContainer: async () => endWait({ StatusCode: 137 }),
    removeContainer: async () => {},
    containerEvents: async (_id, actions, since, until) => {
      asked.push({ actions, since, until })
      if (late.events instanceof Error) throw late.events
      return late.events
    },
    ping: unused,
    inspectImage: unused,
    tagImage: unused,
    buildImage: unused,
    listContainers: unused,
  }
  const config = resolveConfig({ containers: { amp: { image: 'amp:1', memory: '300m' } } }, repoRoot, null)
  const runtime = new DockerRuntime({
    engineFor: () => engine,
    images: new Map([['amp', { image: 'amp:1', imageId: 'sha256:0', built: false }]]),
    containers: config.containers,
    tierTags: {},
    labels: { 'xtest.run': 'r' },
  })
  const shardDir = path.join(work, 'amp.fast')
  fs.mkdirSync(shardDir, { recursive: true })
  const spec: ShardSpec = {
    runId: 'r',
    shardDir,
    timeoutMs: late.timeoutMs ?? 60_000,
    id: 'amp.fast',
    container: 'amp',
    tier: 'fast',
    files: ['a.test.ts'],
    root: repoRoot,
    repoRoot,
    workdir: '.',
    vitestArgs: [],
    env: {},
    mounts: { readOnly: true, writable: [], outputDir: work },
  }
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
