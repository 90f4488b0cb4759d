import fs from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { expect, test } from 'vitest'
import { resolveConfig } from '../../src/config/resolve.js'
import { EngineError, InfraError } from '../../src/core/errors.js'
import { exitCodeFor, mergeRun } from '../../src/report/index.js'
import { DockerRuntime } from '../../src/runtimes/docker.js'
import type { ContainerCreateOptions, EngineClient } from '../../src/runtimes/engine-client.js'
import { ampFastSpec, ampRuntime, fakeEngine } from '../helpers/fake-engine.js'

// An engine that fails create/start/attach/wait/inspect/remove at random. Every shard still ends in
// exactly one status, nothing rejects unhandled, nothing hangs, infra is exit 3, and removal is retried.
const repoRoot = path.resolve(import.meta.dirname, '../..')
const STEPS = ['create', 'attach', 'start', 'wait', 'inspect'] as const

// The shard writes its report into its exchange folder, bound at /xtest/out (the host copies it out afterwards).
const exchangeOut = (options: ContainerCreateOptions): string =>
  (options.HostConfig?.Binds ?? []).find((bind) => bind.endsWith(':/xtest/out'))!.split(':')[0]!

function faultyEngine(pick: () => number, stats: { removes: number; removed: number; created: number }): EngineClient {
  let outDir = ''
  const failAt = (step: string) => {
    if (pick() < 0.1) throw new EngineError(`injected ${step} failure`, 500)
  }
  const unused = async (): Promise<never> => {
    throw new Error('not used by a shard')
  }
  return {
    endpoint: 'fake://engine',
    createContainer: async (options) => {
      failAt('create')
      stats.created++
      outDir = exchangeOut(options)
      return 'c1'
    },
    attachContainer: async () => {
      failAt('attach')
      const s = new PassThrough()
      setTimeout(() => s.end(), 1)
      return s
    },
    startContainer: async () => {
      failAt('start')
      fs.writeFileSync(
        path.join(outDir, 'junit.xml'),
        '<testsuites><testsuite name="a.test.ts" tests="1"><testcase classname="a.test.ts" name="ok"/></testsuite></testsuites>',
      )
    },
    waitContainer: async () => {
      failAt('wait')
      return { StatusCode: 0 }
    },
    inspectContainer: async () => {
      failAt('inspect')
      return { State: { ExitCode: 0, OOMKilled: false } }
    },
    killContainer: async () => {},
    removeContainer: async () => {
      stats.removes++
      if (pick() < 0.1) throw new EngineError('injected remove failure', 500)
      stats.removed++
    },
    ping: unused,
    inspectImage: unused,
    tagImage: unused,
    buildImage: unused,
    listContainers: unused,
    containerEvents: unused,
  }
}

test('500 runs against a fault-injecting engine: one status each, infra exits 3, removal retried', async () => {
  // Inside the repo: the runtime maps shard paths under the repository mounted at /app.
  const work = fs.mkdtempSync(path.join(repoRoot, 'fixtures', '.tmp-faults-'))
  const config = resolveConfig({ containers: { amp: { image: 'amp:1' } } }, repoRoot, null)
  let seed = 7
  const pick = () => ((seed = (seed * 1103515245 + 12345) >>> 0) % 10_000) / 10_000
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  const statuses = new Map<string, number>()
  const stats = { removes: 0, removed: 0, created: 0 }
  for (let i = 0; i < 500; i++) {
    const shardDir = path.join(work, String(i), 'amp.fast')
    fs.mkdirSync(shardDir, { recursive: true })
    const runtime = new DockerRuntime({
      engineFor: () => faultyEngine(pick, stats),
      images: new Map([['amp', { image: 'amp:1', imageId: 'sha256:0', built: false }]]),
      containers: config.containers,
      tierTags: {},
      labels: { 'xtest.run': `r${i}` },
    })
    const spec = ampFastSpec(work, { runId: `r${i}`, shardDir, timeoutMs: 5_000 })
    const started = Date.now()
    const outcome = await runtime.runShard(spec, new AbortController().signal)
    expect(Date.now() - started).toBeLessThan(5_000 + 30_000)
    const { summary } = await mergeRun({ runId: spec.runId, outcomes: [outcome], outPath: path.join(work, String(i), 'junit.xml') })
    expect(summary.shards).toHaveLength(1)
    const status = summary.shards[0]!.status
    statuses.set(status, (statuses.get(status) ?? 0) + 1)
    if (outcome.ended === 'infra') {
      expect(status).toBe('infra')
      expect(exitCodeFor(summary)).toBe(3)
    } else {
      expect([status, exitCodeFor(summary)]).toEqual(['passed', 0])
    }
  }
  process.off('unhandledRejection', onUnhandled)
  fs.rmSync(work, { recursive: true, force: true })
  expect(unhandled).toEqual([])
  expect([...statuses.keys()].sort()).toEqual(['infra', 'passed'])
  // Each created container was removed, a failed remove retried (3 tries: one in 1,000 may stay).
  expect(stats.removes).toBeGreaterThan(stats.created)
  expect(stats.removed).toBeGreaterThanOrEqual(stats.created - 2)
  console.info(
    `fault injection: ${JSON.stringify(Object.fromEntries(statuses))}, ${STEPS.length} steps at p=0.1, removes ${stats.removes} for ${stats.created} containers`,
  )
}, 120_000)

test('cleanup after Ctrl-C: the container is still removed, with its own retries, not under the aborted signal', async () => {
  const work = fs.mkdtempSync(path.join(repoRoot, 'fixtures', '.tmp-faults-'))
  const shardDir = path.join(work, 'amp.fast')
  fs.mkdirSync(shardDir, { recursive: true })
  const calls: string[] = []
  let removeAttempts = 0
  let endWait: (value: { StatusCode: number }) => void = () => {}
  const engine = fakeEngine({
    startContainer: async () => {
      calls.push('start')
    },
    waitContainer: () =>
      new Promise((resolve) => {
        endWait = resolve
      }),
    killContainer: async (_id, signal) => {
      calls.push(`kill ${signal}`)
      endWait({ StatusCode: 143 })
    },
    inspectContainer: async () => ({ State: { ExitCode: 143, OOMKilled: false } }),
    removeContainer: async () => {
      removeAttempts++
      if (removeAttempts === 1) throw new EngineError('engine busy', 500)
      calls.push('removed')
    },
  })
  const runtime = ampRuntime(engine)
  const controller = new AbortController()
  const spec = ampFastSpec(work, { runId: 'r', shardDir, timeoutMs: 60_000 })
  const running = runtime.runShard(spec, controller.signal)
  await new Promise((resolve) => setTimeout(resolve, 50))
  controller.abort('interrupted')
  const outcome = await running
  fs.rmSync(work, { recursive: true, force: true })
  expect(outcome.ended).toBe('interrupted')
  expect(calls).toEqual(['start', 'kill SIGTERM', 'removed'])
  expect(removeAttempts).toBe(2)
})

// `xtest exec` runs through the same runtime: its engine calls are bounded like a shard's, and removal follows.
function execRuntime(engine: Partial<EngineClient>): DockerRuntime {
  return ampRuntime(fakeEngine({ attachContainer: async () => new PassThrough(), ...engine }))
}

function execRequest(work: string) {
  const sink = new PassThrough().resume()
  const mounts = { readOnly: true, writable: [], outputDir: work }
  return {
    container: 'amp',
    argv: ['node', '-v'],
    root: repoRoot,
    repoRoot,
    cwd: repoRoot,
    runId: 'r',
    env: {},
    mounts,
    stdout: sink,
    stderr: sink,
  }
}

test('exec: an engine that hangs on create gives up at once on Ctrl-C (exit 130); a failed attach is exit 3 naming the container, its container removed', async () => {
  const work = fs.mkdtempSync(path.join(repoRoot, 'fixtures', '.tmp-faults-'))
  try {
    const hung = execRuntime({ createContainer: () => new Promise<string>(() => {}) })
    const controller = new AbortController()
    const running = hung.exec(execRequest(work), controller.signal)
    setTimeout(() => controller.abort('interrupted'), 50)
    const started = Date.now()
    expect(await running).toBe(130)
    expect(Date.now() - started).toBeLessThan(2_000)

    const removed: string[] = []
    const broken = execRuntime({
      attachContainer: async () => {
        throw new EngineError('attach refused', 500)
      },
      removeContainer: async (id) => {
        removed.push(id)
      },
    })
    const failure = await broken.exec(execRequest(work), new AbortController().signal).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(InfraError)
    expect((failure as InfraError).exitCode).toBe(3)
    expect((failure as InfraError).message).toBe('container amp: attach refused')
    expect(removed).toEqual(['c1'])
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
})
