// One shard's life, whatever the runtime: exchange folder, log, timer, output bound, run-end watchdog, results, cause
// and outcome are written here once; a runtime supplies only how its shard starts, is waited for and is killed.
import path from 'node:path'
import type { ShardOutcome, ShardSpec } from '../core/shard.js'
import { type OutputBound, watchOutputSize } from './output-bound.js'
import { watchRunEnd } from './run-end-watchdog.js'
import type { ShardHooks } from './runtime.js'
import type { ShardCommand } from './shard-command.js'
import { createShardExchange, type ShardExchange } from './shard-exchange.js'
import { ShardLog } from './shard-log.js'
import { type EndReason, shardTimer } from './shard-timer.js'

/** How a shard's process ended, as its runtime saw it. */
interface ShardExit {
  exitCode: number | null
  signal: string | null
  /** Out of memory: the cause (it outranks a timeout). */
  oom?: string
  /** Killed by a signal no one of ours sent: the cause (a timeout or a stop outranks it). */
  killed?: string
}

/** One shard as a runtime starts it, made from the command prepareShardCommand wrote into the exchange folder. */
export interface ShardLaunch {
  /** The whole command line recorded in the outcome. */
  argv: string[]
  /** The log's first line: where and how it runs. */
  note: string
  image?: { image: string; imageId: string }
  /** Rejects on a fault of the runtime (infra), or when the run was aborted meanwhile; calls `exited` when its process exits. */
  start(exited: () => void): Promise<void>
  kill(sig: NodeJS.Signals): void
  /** Resolves once the shard has ended; rejects on a fault of the runtime. */
  wait(): Promise<ShardExit>
  /** After the end, however it ended: frees what the runtime holds (a container). */
  release?(): Promise<void>
  /** Given, the run-end watchdog calls it when Vitest outlives its written report (strays hold it), then ends the shard. */
  clearStrays?(): void
}

interface ShardDriver {
  runtime: ShardOutcome['runtime']
  /** What a failed start or wait is called in the cause, e.g. 'engine error'. */
  fault: string
  /** uid:gid that gets the exchange folder's `out/` (a container's user). */
  owner?: { uid: number; gid: number }
  /** Prepares the command into the exchange folder and says how to run it; a throw (a config fault) rejects runShard. */
  launch(exchange: ShardExchange, log: ShardLog): { command: ShardCommand; shard: ShardLaunch }
}

/** Runs one shard to the end. Never rejects for a test, process or runtime failure: that is data in the outcome. */
export async function runShardLifecycle(spec: ShardSpec, signal: AbortSignal, driver: ShardDriver, hooks?: ShardHooks) {
  const startedAt = new Date()
  const log = new ShardLog(path.join(spec.shardDir, 'output.log'))
  const exchange = createShardExchange(spec.id, driver.owner)
  let launched: ReturnType<ShardDriver['launch']>
  try {
    launched = driver.launch(exchange, log)
  } catch (error) {
    exchange.dispose()
    log.close()
    throw error
  }
  const { command, shard } = launched
  hooks?.onProgressFile?.(path.join(exchange.outDir, 'progress.ndjson'))
  log.note(shard.note)
  let exit: ShardExit | undefined
  let reason: EndReason | undefined
  let infraCause: string | undefined
  let hung = false
  let bound: OutputBound | undefined
  let watchdog: ReturnType<typeof watchRunEnd> | undefined
  let outputCause: string | undefined
  let exited = false
  const kill = (sig: NodeJS.Signals) => shard.kill(sig)
  try {
    await shard.start(() => {
      exited = true
      watchdog?.stop()
    })
    if (spec.outputLimitBytes)
      bound = watchOutputSize(exchange.outDir, spec.outputLimitBytes, () => kill('SIGKILL'), command.env.XTEST_SHARD_DIR)
    // Vitest 5 waits for its workers' pipes before it exits: a stray that holds one keeps it alive after its run has
    // ended. Once the report is written (the run ended), the strays go; if Vitest still hangs then, the shard goes
    // too (and it is a crash, never green).
    if (shard.clearStrays && !exited)
      watchdog = watchRunEnd(path.join(exchange.outDir, 'junit.xml'), {
        onEnded: shard.clearStrays,
        onHung: () => {
          hung = true
          kill('SIGKILL')
        },
      })
    const timer = shardTimer(spec.timeoutMs, signal, kill)
    try {
      exit = await shard.wait()
    } finally {
      timer.dispose()
    }
    reason = timer.reason()
  } catch (error) {
    if (signal.aborted && !reason) reason = signal.reason === 'bail' ? 'bail' : 'interrupted'
    else infraCause = `${driver.fault}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`
  } finally {
    watchdog?.stop()
    bound?.stop()
    outputCause = bound?.over()
    if (hung) log.note('Vitest did not exit after its run ended (a process of the shard kept it waiting): xtest ended it')
    await shard.release?.()
    // Every process of the shard is gone: nothing writes into the exchange folder any more. Its results are taken as
    // data into the run folder (refusals go to the log), then the folder goes.
    try {
      for (const note of exchange.collect(spec.shardDir)) log.note(note)
    } catch (error) {
      log.note(`could not take the shard's results: ${(error as Error).message}`)
    }
    try {
      exchange.dispose()
    } catch (error) {
      log.note(`could not remove ${exchange.dir}: ${(error as Error).message}`)
    }
  }
  const endedAt = new Date()
  const ended = infraCause ? 'infra' : outputCause ? 'output-limit' : exit?.oom ? 'oom' : reason
  const cause =
    infraCause ??
    outputCause ??
    exit?.oom ??
    (reason === 'timeout' ? `timed out after ${spec.timeoutMs} ms (tier ${spec.tier})` : reason ? `stopped: ${reason}` : exit?.killed)
  if (cause) log.note(cause)
  const exitCode = exit?.exitCode ?? null
  log.note(`exit code ${exitCode ?? 'none'}${exitCode === null && exit?.signal ? `, signal ${exit.signal}` : ''}`)
  log.close()
  const outcome: ShardOutcome = {
    id: spec.id,
    container: spec.container,
    tier: spec.tier,
    slice: spec.slice,
    files: spec.files,
    runtime: driver.runtime,
    ...shard.image,
    command: shard.argv,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: endedAt.getTime() - startedAt.getTime(),
    exitCode,
    signal: exit?.signal ?? null,
    ended,
    cause,
    junitPath: path.join(spec.shardDir, 'junit.xml'),
    logPath: log.path,
  }
  return outcome
}
