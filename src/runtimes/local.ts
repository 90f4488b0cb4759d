// The local runtime: a shard as a plain subprocess on the host, for projects or machines without an engine.
import { execa } from 'execa'
import os from 'node:os'
import path from 'node:path'
import { allowlistedHostEnv } from './local-env.js'
import type { Runtime, ShardHooks } from './runtime.js'
import type { ShardSpec } from '../core/shard.js'
import type { ShardOutcome } from '../core/shard.js'
import { DescendantTracker, killShardProcesses, ownerToken, OWNER_VARIABLE, type ShardProcess } from './process-sweep.js'
import { watchRunEnd } from './run-end-watchdog.js'
import { prepareShardCommand, XTEST_PACKAGE_ROOT } from './shard-command.js'
import { ShardLog } from './shard-log.js'
import { shardTimer, type TierTags } from './shard-timer.js'
import { createShardExchange } from './shard-exchange.js'
import { watchOutputSize } from './output-bound.js'
import { takeResults } from './take-results.js'

// Process groups of the shards running now. Whatever way xtest exits (the report written, a second Ctrl-C's
// process.exit, a crash), none of them outlives it.
const liveGroups = new Set<number>()
const liveTrackers = new Set<DescendantTracker>()
const runsStarted = new Set<string>()
let exitHookInstalled = false
function onExit(): void {
  for (const tracker of liveTrackers) tracker.killAll()
  for (const pid of liveGroups)
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      /* gone */
    }
  if (runsStarted.size > 0) killShardProcesses((p) => runsStarted.has(p.runId) && p.owner === ownerToken())
}

/** Runs a shard as a plain subprocess on the host: the embedded default when no engine answers. */
export class LocalRuntime implements Runtime {
  readonly name = 'local' as const

  constructor(
    private readonly tierTags: TierTags,
    private readonly hostEnv: NodeJS.ProcessEnv = process.env,
  ) {}

  async runShard(spec: ShardSpec, signal: AbortSignal, hooks?: ShardHooks): Promise<ShardOutcome> {
    const startedAt = new Date()
    const log = new ShardLog(path.join(spec.shardDir, 'output.log'))
    // Local shards are not sandboxed, but their results still travel through a private folder of their own.
    const exchange = createShardExchange(spec.id)
    let command: ReturnType<typeof prepareShardCommand>
    try {
      command = prepareShardCommand(spec, { toShard: (p) => p, xtestRoot: XTEST_PACKAGE_ROOT, provides: [] }, this.tierTags, exchange)
    } catch (error) {
      exchange.dispose()
      log.close()
      throw error
    }
    hooks?.onProgressFile?.(path.join(exchange.outDir, 'progress.ndjson'))
    const argv = [process.execPath, ...command.argv]
    log.note(`local: ${argv.join(' ')} (cwd ${command.cwd})`)
    if (!exitHookInstalled) {
      process.on('exit', onExit)
      exitHookInstalled = true
    }
    runsStarted.add(spec.runId)
    const owner = ownerToken()
    // Its own process group, so a timeout or Ctrl-C ends Vitest's workers too, not only Vitest. XTEST_OWNER (with
    // XTEST_RUN_ID and XTEST_SHARD) finds the processes that left the group, here and in `xtest clean`.
    const child = execa(argv[0]!, argv.slice(1), {
      cwd: command.cwd,
      // An allowlist of the host's variables plus what the config lists (command.env): never the host's tokens.
      env: { ...allowlistedHostEnv(this.hostEnv), ...command.env, NO_COLOR: '1', [OWNER_VARIABLE]: owner },
      extendEnv: false,
      detached: true,
      buffer: false,
      reject: false,
      stdin: 'ignore',
    })
    child.stdout?.on('data', (chunk: Buffer) => log.write('out', chunk))
    child.stderr?.on('data', (chunk: Buffer) => log.write('err', chunk))
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig)
      } catch {
        /* already gone */
      }
    }
    if (child.pid) liveGroups.add(child.pid)
    // No cgroup here: a lower priority (nice 10, inherited by Vitest's workers) keeps the host responsive instead.
    try {
      if (child.pid) os.setPriority(child.pid, 10)
    } catch {
      /* gone already, or not allowed: the shard runs at the normal priority */
    }
    // Its descendants by parent chain: also one that left the group with an empty environment (`env -i`).
    const tracker = child.pid ? new DescendantTracker(child.pid) : undefined
    if (tracker) liveTrackers.add(tracker)
    // When Vitest ends: the rest of its group (a worker that outlived it), then the shard's processes outside the
    // group (a test's detached or double-forked children). On 'exit', not after the output ends: a stray that
    // holds Vitest's stdout would keep it open.
    let strays = 0
    const ours = (p: ShardProcess) => p.runId === spec.runId && p.shard === spec.id && p.owner === owner
    // Vitest 5 waits for its workers' pipes before it exits: a stray that holds one keeps it alive after its run has
    // ended. Once the report is written (the run ended), the strays outside Vitest's group go; if Vitest still hangs
    // then, its group goes too (and the shard is a crash, never green).
    let hung = false
    const watchdog = watchRunEnd(path.join(exchange.outDir, 'junit.xml'), {
      onEnded: () => {
        strays += killShardProcesses((p) => ours(p) && p.group !== child.pid).length
      },
      onHung: () => {
        hung = true
        killGroup('SIGKILL')
      },
    })
    child.once('exit', () => {
      watchdog.stop()
      killGroup('SIGKILL')
      if (child.pid) liveGroups.delete(child.pid)
      strays += killShardProcesses(ours).length
      if (tracker) {
        strays += tracker.killAll()
        liveTrackers.delete(tracker)
      }
    })
    const timer = shardTimer(spec.timeoutMs, signal, killGroup)
    const bound = spec.outputLimitBytes
      ? watchOutputSize(exchange.outDir, spec.outputLimitBytes, () => killGroup('SIGKILL'), exchange.outDir)
      : undefined
    const result = await child
    timer.dispose()
    watchdog.stop()
    bound?.stop()
    const outputCause = bound?.over()
    if (hung) log.note('Vitest did not exit after its run ended (a process of the shard kept it waiting): xtest ended it')
    if (strays > 0) log.note(`killed ${strays} process(es) the shard left running outside its process group`)
    // Every process of the shard is gone: nothing writes into its exchange folder any more.
    takeResults(exchange, spec.shardDir, log)
    const endedAt = new Date()
    const ended = outputCause ? 'output-limit' : timer.reason()
    const cause =
      outputCause ??
      (ended === 'timeout'
        ? `timed out after ${spec.timeoutMs} ms (tier ${spec.tier})`
        : ended
          ? `stopped: ${ended}`
          : result.signal
            ? `killed by ${result.signal}`
            : undefined)
    if (cause) log.note(cause)
    log.note(`exit code ${result.exitCode ?? 'none'}${result.signal ? `, signal ${result.signal}` : ''}`)
    log.close()
    return {
      id: spec.id,
      container: spec.container,
      tier: spec.tier,
      slice: spec.slice,
      files: spec.files,
      runtime: 'local',
      command: argv,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      durationMs: endedAt.getTime() - startedAt.getTime(),
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      ended,
      cause,
      junitPath: path.join(spec.shardDir, 'junit.xml'),
      logPath: log.path,
    }
  }
}
