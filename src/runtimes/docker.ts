// The docker runtime: each shard (and each `xtest exec` command) in a fresh container of its image, removed however it ends.
import fs from 'node:fs'
import path from 'node:path'
import type { Readable } from 'node:stream'
import type { ContainerConfig } from '../config/schema.js'
import { EngineError, InfraError } from '../core/errors.js'
import { ExitCode } from '../core/exit-codes.js'
import type { ShardOutcome, ShardSpec } from '../core/shard.js'
import { signalName } from '../core/signals.js'
import { withTimeout } from '../shared/with-timeout.js'
import { attachOutput, engineCall, type OnFrame, waitBounded } from './docker-calls.js'
import type { ImageRef } from './docker-image.js'
import {
  type CreateOptionsInput,
  containerPathMapper,
  ownerOf,
  SHARD_IN_MOUNT,
  SHARD_OUT_MOUNT,
  shardCreateOptions,
  shardUser,
} from './docker-spec.js'
import type { ContainerCreateOptions, EngineClient } from './engine-client.js'
import type { ExecRequest, Runtime, ShardHooks } from './runtime.js'
import { prepareShardCommand, XTEST_PACKAGE_ROOT } from './shard-command.js'
import { createShardExchange, type ShardExchange } from './shard-exchange.js'
import { runShardLifecycle } from './shard-lifecycle.js'
import type { ShardLog } from './shard-log.js'
import { shardTimer, type TierTags } from './shard-timer.js'

export interface DockerRuntimeOptions {
  engineFor(container: string): EngineClient
  images: Map<string, ImageRef>
  containers: Record<string, ContainerConfig>
  tierTags: TierTags
  /** Labels on everything created, e.g. xtest.run, xtest.pid. */
  labels: Record<string, string>
}

/** Runs each shard in a fresh container of its image, then inspects and removes it. */
export class DockerRuntime implements Runtime {
  readonly name = 'docker' as const
  constructor(private readonly options: DockerRuntimeOptions) {}

  runShard(spec: ShardSpec, signal: AbortSignal, hooks?: ShardHooks): Promise<ShardOutcome> {
    const engine = this.options.engineFor(spec.container)
    const ref = this.options.images.get(spec.container)!
    const config = this.options.containers[spec.container]!
    const user = shardUser(config, ownerOf(spec.repoRoot))
    const launch = (exchange: ShardExchange, log: ShardLog) => {
      const paths = containerPathMapper(spec.repoRoot, XTEST_PACKAGE_ROOT)
      const toShard = (hostPath: string) =>
        hostPath === exchange.outDir
          ? SHARD_OUT_MOUNT
          : path.dirname(hostPath) === exchange.outDir
            ? path.posix.join(SHARD_OUT_MOUNT, path.basename(hostPath))
            : path.dirname(hostPath) === exchange.inDir
              ? path.posix.join(SHARD_IN_MOUNT, path.basename(hostPath))
              : paths.toShard(hostPath)
      const view = { toShard, xtestRoot: paths.xtestRootInShard, image: ref.image, imageId: ref.imageId, provides: config.provides }
      const command = prepareShardCommand(spec, view, this.options.tierTags, exchange)
      const argv = ['node', ...command.argv]
      const deadline = String(Math.ceil((Date.now() + spec.timeoutMs) / 1000) + 60)
      const labels = { 'xtest.tier': spec.tier, 'xtest.shard': spec.id, 'xtest.deadline': deadline }
      const create = this.createOptions(spec, exchange, { cmd: argv, cwd: command.cwd, env: command.env }, labels)
      const box = containerRun(engine, create, signal, (kind, payload) => log.write(kind === 2 ? 'err' : 'out', payload))
      const shard = {
        argv,
        note: `docker: ${ref.image} (${ref.imageId.slice(0, 19)}) user ${create.User} network ${config.network}: node ${command.argv.join(' ')}`,
        image: { image: ref.image, imageId: ref.imageId },
        start: box.start,
        kill: box.kill,
        wait: async () => {
          const state = await box.wait(spec.timeoutMs)
          const exitCode = state.ExitCode
          const oomKilled = state.OOMKilled || (exitCode === 137 && (await box.oomLoggedLate()))
          const memory = create.HostConfig?.Memory
          const limit = memory ? formatBytes(memory) : 'of the host'
          return {
            exitCode,
            signal: exitCode > 128 ? signalName(exitCode - 128) : null,
            // A Vitest worker killed by the OOM killer leaves its main process to exit 1: the engine still says OOMKilled.
            oom: oomKilled && exitCode !== 0 ? `out of memory: container ${spec.container} exceeded its memory limit ${limit}` : undefined,
            // Not sent by xtest (its own kills end with their reason): a test's, or an OOM the engine did not report.
            killed:
              exitCode === 137
                ? `killed by SIGKILL (exit 137) not sent by xtest: a test's kill, or the OOM killer at the memory limit ${limit} (the engine reported no out-of-memory)`
                : undefined,
          }
        },
        release: () => box.release(log),
      }
      return { command, shard }
    }
    return runShardLifecycle(spec, signal, { runtime: 'docker', fault: 'engine error', owner: user, launch }, hooks)
  }

  async exec(request: ExecRequest, signal: AbortSignal): Promise<number> {
    const { container: name, mounts } = request as Required<ExecRequest>
    const paths = containerPathMapper(request.repoRoot, XTEST_PACKAGE_ROOT)
    const env = Object.fromEntries(Object.entries(request.env).filter((e): e is [string, string] => e[1] !== true))
    Object.assign(env, { XTEST_CONTAINER: name, XTEST_RUN_ID: request.runId })
    fs.mkdirSync(mounts.outputDir, { recursive: true }) // hidden from the container: needs its mount point
    // Only its empty folder is used: it hides the output folder from the command, as from a shard.
    const exchange = createShardExchange(`exec.${name}`)
    try {
      const command = { cmd: request.argv, cwd: paths.toShard(request.cwd), env }
      const create = this.createOptions({ ...request, mounts }, { emptyDir: exchange.emptyDir }, command, { 'xtest.exec': 'true' })
      if (request.stdin) Object.assign(create, { OpenStdin: true, StdinOnce: true })
      const write: OnFrame = (kind, payload) => (kind === 2 ? request.stderr : request.stdout).write(payload)
      const box = containerRun(this.options.engineFor(name), create, signal, write, request.stdin)
      request.onContainer?.(() => box.release())
      const timer = shardTimer(Number.POSITIVE_INFINITY, signal, box.kill)
      try {
        await box.start()
        const { ExitCode: exitCode } = await box.wait(Number.POSITIVE_INFINITY)
        return signal.aborted ? ExitCode.interrupted : exitCode
      } catch (error) {
        if (signal.aborted) return ExitCode.interrupted
        throw new InfraError(`container ${name}: ${(error as Error).message}`, 'XTEST_ENGINE')
      } finally {
        timer.dispose()
        await box.release()
      }
    } finally {
      exchange.dispose()
    }
  }

  // The container a shard or a command runs in (docker-spec.ts): the image, mounts, user and labels of its container.
  private createOptions(
    at: Pick<ShardSpec, 'container' | 'root' | 'repoRoot' | 'mounts'>,
    exchange: CreateOptionsInput['exchange'],
    command: CreateOptionsInput['command'],
    labels: Record<string, string>,
  ): ContainerCreateOptions {
    const container = this.options.containers[at.container]!
    return shardCreateOptions({
      root: at.root,
      repoRoot: at.repoRoot,
      mounts: at.mounts,
      container,
      command,
      image: this.options.images.get(at.container)!.image,
      xtestRoot: XTEST_PACKAGE_ROOT,
      xtestInRepo: containerPathMapper(at.repoRoot, XTEST_PACKAGE_ROOT).xtestInRepo,
      labels: { ...this.options.labels, 'xtest.container': at.container, ...labels },
      exchange,
      user: shardUser(container, ownerOf(at.repoRoot)),
    })
  }
}

// One container from create to removal, for a shard and for `xtest exec`: every engine call is bounded and gives up
// on abort (a hung engine must not hang the run); the output is attached before the start, so nothing is lost.
function containerRun(engine: EngineClient, create: ContainerCreateOptions, signal: AbortSignal, write: OnFrame, stdin?: Readable) {
  let id: string | undefined
  let output: { done: Promise<void> } | undefined
  let startedAt = 0
  let killSent = false
  return {
    start: async () => {
      id = await engineCall(engine.createContainer(create), 'create', signal)
      output = await engineCall(attachOutput(engine, id, write, stdin), 'attach', signal)
      startedAt = Date.now() / 1000 - 1 // a second's slack for the engine's clock
      await engineCall(engine.startContainer(id), 'start', signal)
    },
    kill: (sig: NodeJS.Signals) => {
      killSent = true
      if (id) engine.killContainer(id, sig).catch(() => {})
    },
    wait: async (timeoutMs: number) => {
      await waitBounded(engine, id!, timeoutMs, signal)
      await output!.done
      return (await withTimeout(engine.inspectContainer(id!), 15_000, 'inspect timed out')).State
    },
    /** After an exit 137 with OOMKilled false: did the engine log an OOM anyway? Never for a kill xtest sent. */
    oomLoggedLate: () => (killSent || !id ? Promise.resolve(false) : oomLoggedLate(engine, id, startedAt)),
    release: async (log?: ShardLog) => {
      if (id) await removeContainer(engine, id, log)
    },
  }
}

// A SIGKILL xtest did not send: a test's, or the OOM killer's at the memory limit. The engine sets OOMKilled only when
// its OOM event beats the exit event (dockerd and containerd race there when the killed process is the container's
// main one), but it logs the event either way: ask for it, waiting a second past the exit for a late one. Bounded;
// an engine without events (Podman 4 logs none, and leaves OOMKilled false) or an error leaves "killed by SIGKILL".
async function oomLoggedLate(engine: EngineClient, id: string, since: number): Promise<boolean> {
  const asked = engine.containerEvents(id, ['oom'], since, Date.now() / 1000 + 1)
  return withTimeout(asked, 5_000, 'events timed out').then(
    (actions) => actions.includes('oom'),
    () => false,
  )
}

// Cleanup has its own retries and never depends on the (maybe aborted) run signal.
async function removeContainer(engine: EngineClient, id: string, log?: ShardLog): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await withTimeout(engine.removeContainer(id), 15_000, 'remove timed out')
      return
    } catch (error) {
      const status = error instanceof EngineError ? error.statusCode : undefined
      if (status === 404 || status === 409) return // gone, or removal already in progress
      log?.note(`remove failed (attempt ${attempt}): ${(error as Error).message}`)
      await new Promise((r) => setTimeout(r, 200 * attempt))
    }
  }
}

function formatBytes(bytes: number): string {
  const mib = bytes / 1024 / 1024
  return mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024}g` : `${Math.round(mib)}m`
}
