// The Docker runtime: each shard in a fresh container of its image, through the Engine API, removed afterwards.
import path from 'node:path'
import { signalName } from '../core/signals.js'
import type { ContainerConfig } from '../config/schema.js'
import type { ImageRef } from './docker-image.js'
import { EngineError } from '../core/errors.js'
import type { EngineClient } from './engine-client.js'
import { attachOutput, engineCall, waitBounded } from './docker-calls.js'
import { containerPathMapper, ownerOf, SHARD_IN_MOUNT, SHARD_OUT_MOUNT, shardCreateOptions, shardUser } from './docker-spec.js'
import { createShardExchange } from './shard-exchange.js'
import { type OutputBound, watchOutputSize } from './output-bound.js'
import { takeResults } from './take-results.js'
import type { Runtime, ShardHooks } from './runtime.js'
import type { ShardSpec } from '../core/shard.js'
import type { ShardOutcome } from '../core/shard.js'
import { prepareShardCommand, XTEST_PACKAGE_ROOT } from './shard-command.js'
import { ShardLog } from './shard-log.js'
import { shardTimer, type TierTags } from './shard-timer.js'
import { withTimeout } from '../shared/with-timeout.js'

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

  async runShard(spec: ShardSpec, signal: AbortSignal, hooks?: ShardHooks): Promise<ShardOutcome> {
    const startedAt = new Date()
    const engine = this.options.engineFor(spec.container)
    const ref = this.options.images.get(spec.container)!
    const config = this.options.containers[spec.container]!
    const log = new ShardLog(path.join(spec.shardDir, 'output.log'))
    const user = shardUser(config, ownerOf(spec.repoRoot))
    const exchange = createShardExchange(spec.id, user)
    let command: ReturnType<typeof prepareShardCommand>
    let create: ReturnType<typeof shardCreateOptions>
    try {
      const paths = containerPathMapper(spec.repoRoot, XTEST_PACKAGE_ROOT)
      const toShard = (hostPath: string) =>
        hostPath === exchange.outDir
          ? SHARD_OUT_MOUNT
          : path.dirname(hostPath) === exchange.outDir
            ? path.posix.join(SHARD_OUT_MOUNT, path.basename(hostPath))
            : path.dirname(hostPath) === exchange.inDir
              ? path.posix.join(SHARD_IN_MOUNT, path.basename(hostPath))
              : paths.toShard(hostPath)
      command = prepareShardCommand(
        spec,
        {
          toShard,
          xtestRoot: paths.xtestRootInShard,
          image: ref.image,
          imageId: ref.imageId,
          provides: config.provides,
        },
        this.options.tierTags,
        exchange,
      )
      const labels = {
        ...this.options.labels,
        'xtest.container': spec.container,
        'xtest.tier': spec.tier,
        'xtest.shard': spec.id,
        'xtest.deadline': String(Math.ceil((Date.now() + spec.timeoutMs) / 1000) + 60),
      }
      create = shardCreateOptions({
        root: spec.root,
        repoRoot: spec.repoRoot,
        container: config,
        command: { cmd: ['node', ...command.argv], cwd: command.cwd, env: command.env },
        image: ref.image,
        xtestRoot: XTEST_PACKAGE_ROOT,
        xtestInRepo: paths.xtestInRepo,
        labels,
        mounts: spec.mounts,
        exchange,
        user,
      })
    } catch (error) {
      exchange.dispose()
      log.close()
      throw error
    }
    hooks?.onProgressFile?.(path.join(exchange.outDir, 'progress.ndjson'))
    log.note(
      `docker: ${ref.image} (${ref.imageId.slice(0, 19)}) user ${create.User} network ${config.network}: node ${command.argv.join(' ')}`,
    )
    let exitCode: number | null = null
    let oom = false
    let infraCause: string | undefined
    let id: string | undefined
    let reason: ReturnType<ReturnType<typeof shardTimer>['reason']>
    let bound: OutputBound | undefined
    let outputCause: string | undefined
    try {
      // Every engine call is bounded and gives up on Ctrl-C: a hung engine must not hang the run.
      const created = await engineCall(engine.createContainer(create), 'create', signal)
      id = created
      const output = await engineCall(attachOutput(engine, created, log), 'attach', signal)
      await engineCall(engine.startContainer(created), 'start', signal)
      if (spec.outputLimitBytes)
        bound = watchOutputSize(exchange.outDir, spec.outputLimitBytes, () => {
          engine.killContainer(created, 'SIGKILL').catch(() => {})
        })
      const timer = shardTimer(spec.timeoutMs, signal, (sig) => {
        engine.killContainer(created, sig).catch(() => {})
      })
      try {
        await waitBounded(engine, created, spec.timeoutMs, signal)
      } finally {
        timer.dispose()
      }
      reason = timer.reason()
      await output.done
      const state = (await withTimeout(engine.inspectContainer(created), 15_000, 'inspect timed out')).State
      exitCode = state.ExitCode
      // A Vitest worker killed by the OOM killer leaves its main process to exit 1: the engine still says OOMKilled.
      oom = state.OOMKilled && exitCode !== 0
    } catch (error) {
      if (signal.aborted && !reason) reason = signal.reason === 'bail' ? 'bail' : 'interrupted'
      else infraCause = `engine error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`
    } finally {
      bound?.stop()
      outputCause = bound?.over()
      if (id) await removeContainer(engine, id, log)
      // The container is gone: nothing writes into the exchange folder any more. Take the results as data.
      takeResults(exchange, spec.shardDir, log)
    }
    const endedAt = new Date()
    const ended = infraCause ? 'infra' : outputCause ? 'output-limit' : oom ? 'oom' : reason
    const cause =
      infraCause ??
      outputCause ??
      (oom
        ? `out of memory: container ${spec.container} exceeded its memory limit ${create.HostConfig?.Memory ? formatBytes(create.HostConfig.Memory) : 'of the host'}`
        : reason === 'timeout'
          ? `timed out after ${spec.timeoutMs} ms (tier ${spec.tier})`
          : reason
            ? `stopped: ${reason}`
            : exitCode === 137
              ? 'killed by SIGKILL (exit 137)'
              : undefined)
    if (cause) log.note(cause)
    log.note(`exit code ${exitCode ?? 'none'}`)
    log.close()
    return {
      id: spec.id,
      container: spec.container,
      tier: spec.tier,
      slice: spec.slice,
      files: spec.files,
      runtime: 'docker',
      image: ref.image,
      imageId: ref.imageId,
      command: ['node', ...command.argv],
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      durationMs: endedAt.getTime() - startedAt.getTime(),
      exitCode,
      signal: exitCode !== null && exitCode > 128 ? signalName(exitCode - 128) : null,
      ended,
      cause,
      junitPath: path.join(spec.shardDir, 'junit.xml'),
      logPath: log.path,
    }
  }
}

// Cleanup has its own retries and never depends on the (maybe aborted) run signal.
export async function removeContainer(engine: EngineClient, id: string, log?: ShardLog): Promise<void> {
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
