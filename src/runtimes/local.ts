// The local runtime: each shard (and each `xtest exec` command) as a plain subprocess on the host, with an
// allowlisted environment; every process it leaves is found and killed.

import os from 'node:os'
import { execa, type Options, type ResultPromise } from 'execa'
import { InfraError } from '../core/errors.js'
import { ExitCode } from '../core/exit-codes.js'
import type { ShardOutcome, ShardSpec } from '../core/shard.js'
import { allowlistedHostEnv } from './local-env.js'
import { DescendantTracker, killShardProcesses, OWNER_VARIABLE, ownerToken, type ShardProcess } from './process-sweep.js'
import type { ExecRequest, Runtime, ShardHooks } from './runtime.js'
import { prepareShardCommand, XTEST_PACKAGE_ROOT } from './shard-command.js'
import type { ShardExchange } from './shard-exchange.js'
import { runShardLifecycle, type ShardLaunch } from './shard-lifecycle.js'
import type { ShardLog } from './shard-log.js'
import { shardTimer, type TierTags } from './shard-timer.js'

// Process groups of the shards running now. Whatever way xtest exits (the report written, a second Ctrl-C's
// process.exit, a crash), none of them outlives it.
const liveGroups = new Set<number>()
const liveTrackers = new Set<DescendantTracker>()
const runsStarted = new Set<string>()
process.on('exit', () => {
  for (const tracker of liveTrackers) tracker.killAll()
  for (const pid of liveGroups)
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      /* gone */
    }
  if (runsStarted.size > 0) killShardProcesses((p) => runsStarted.has(p.runId) && p.owner === ownerToken())
})

/** Runs a shard as a plain subprocess on the host: the embedded default when no engine answers. */
export class LocalRuntime implements Runtime {
  readonly name = 'local' as const

  constructor(
    private readonly tierTags: TierTags,
    private readonly hostEnv: NodeJS.ProcessEnv = process.env,
  ) {}

  runShard(spec: ShardSpec, signal: AbortSignal, hooks?: ShardHooks): Promise<ShardOutcome> {
    // Local shards are not sandboxed, but their results still travel through a private folder of their own.
    const launch = (exchange: ShardExchange, log: ShardLog) => {
      const view = { toShard: (p: string) => p, xtestRoot: XTEST_PACKAGE_ROOT, provides: [] }
      const command = prepareShardCommand(spec, view, this.tierTags, exchange)
      const argv = [process.execPath, ...command.argv]
      const owner = ownerToken()
      let child: ResultPromise | undefined
      let strays = 0
      const killGroup = (sig: NodeJS.Signals) => {
        try {
          if (child?.pid) process.kill(-child.pid, sig)
        } catch {
          /* already gone */
        }
      }
      const ours = (p: ShardProcess) => p.runId === spec.runId && p.shard === spec.id && p.owner === owner
      const shard: ShardLaunch = {
        argv,
        note: `local: ${argv.join(' ')} (cwd ${command.cwd})`,
        start: async (exited) => {
          runsStarted.add(spec.runId)
          // Its own process group, so a timeout or Ctrl-C ends Vitest's workers too, not only Vitest. XTEST_OWNER (with
          // XTEST_RUN_ID and XTEST_SHARD) finds the processes that left the group.
          const started = this.spawn(argv, command.cwd, { ...command.env, NO_COLOR: '1' }, owner, { detached: true })
          child = started
          started.stdout?.on('data', (chunk: Buffer) => log.write('out', chunk))
          started.stderr?.on('data', (chunk: Buffer) => log.write('err', chunk))
          const pid = started.pid
          if (pid) liveGroups.add(pid)
          // No cgroup here: a lower priority (nice 10, inherited by Vitest's workers) keeps the host responsive instead.
          try {
            if (pid) os.setPriority(pid, 10)
          } catch {
            /* gone already, or not allowed: the shard runs at the normal priority */
          }
          // Its descendants by parent chain: also one that left the group with an empty environment (`env -i`).
          const tracker = pid ? new DescendantTracker(pid) : undefined
          if (tracker) liveTrackers.add(tracker)
          // When Vitest ends: the rest of its group (a worker that outlived it), then the shard's processes outside the
          // group (a test's detached or double-forked children). On 'exit', not after the output ends: a stray that
          // holds Vitest's stdout would keep it open.
          started.once('exit', () => {
            exited()
            killGroup('SIGKILL')
            if (pid) liveGroups.delete(pid)
            strays += killShardProcesses(ours).length
            if (tracker) {
              strays += tracker.killAll()
              liveTrackers.delete(tracker)
            }
          })
        },
        kill: killGroup,
        wait: async () => {
          const result = await child!
          const signal = result.signal ?? null
          return { exitCode: result.exitCode ?? null, signal, killed: signal ? `killed by ${signal}` : undefined }
        },
        // The run has ended and Vitest still runs: the strays outside its group go (its group goes if it still hangs).
        clearStrays: () => {
          strays += killShardProcesses((p) => ours(p) && p.group !== child?.pid).length
        },
        release: async () => {
          if (strays > 0) log.note(`killed ${strays} process(es) the shard left running outside its process group`)
        },
      }
      return { command, shard }
    }
    return runShardLifecycle(spec, signal, { runtime: 'local', fault: 'local runtime error', launch }, hooks)
  }

  async exec(request: ExecRequest, signal: AbortSignal): Promise<number> {
    // The config's values as a local shard gets them. Its children that outlive it (a background job, a double fork)
    // would hold its output open, and the promise with it: found by their environment, as a local shard's (Linux), and
    // killed when the command exits or is stopped.
    const owner = ownerToken()
    const env = Object.fromEntries(Object.entries(request.env).map(([k, v]) => [k, v === true ? this.hostEnv[k] : v]))
    Object.assign(env, { XTEST_CONTAINER: request.container, XTEST_RUN_ID: request.runId })
    const child = this.spawn(request.argv, request.cwd, env, owner, { stdin: request.stdin ? 'pipe' : 'ignore' })
    child.once('exit', () => killShardProcesses((p) => p.runId === request.runId && p.owner === owner))
    // A command may exit without reading all of its stdin: the broken pipe (EPIPE) is its choice, never a crash of ours.
    if (child.stdin) request.stdin?.pipe(child.stdin.on('error', () => {}))
    child.stdout?.pipe(request.stdout, { end: false })
    child.stderr?.pipe(request.stderr, { end: false })
    const timer = shardTimer(Number.POSITIVE_INFINITY, signal, (sig) => child.kill(sig))
    const result = await child.finally(timer.dispose)
    if (signal.aborted) return ExitCode.interrupted
    if (result.failed && result.exitCode === undefined)
      throw new InfraError(`container ${request.container}: cannot run ${request.argv[0]}: ${result.shortMessage}`, 'XTEST_EXEC')
    return result.exitCode ?? 1
  }

  // On the host: an allowlist of its variables plus `env` (never the host's tokens), and XTEST_OWNER, by which the
  // process's strays are found, here and in `xtest clean`.
  private spawn(argv: string[], cwd: string, env: Record<string, string | undefined>, owner: string, options: Options) {
    const full = { ...allowlistedHostEnv(this.hostEnv), ...env, [OWNER_VARIABLE]: owner }
    return execa(argv[0]!, argv.slice(1), { cwd, env: full, extendEnv: false, buffer: false, reject: false, stdin: 'ignore', ...options })
  }
}
