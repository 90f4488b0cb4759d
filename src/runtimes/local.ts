import { execa } from 'execa'
import path from 'node:path'
import { allowlistedHostEnv } from './local-env.js'
import type { Runtime, ShardHooks, ShardOutcome, ShardSpec } from './runtime.js'
import { prepareShardCommand, XTEST_PACKAGE_ROOT } from './shard-command.js'
import { ShardLog } from './shard-log.js'
import { shardTimer, type TierTags } from './shard-timer.js'
import { createShardExchange } from './shard-exchange.js'
import { takeResults } from './take-results.js'

/** Runs a shard as a plain subprocess on the host: the embedded default when no engine answers. */
export class LocalRuntime implements Runtime {
  readonly name = 'local' as const

  constructor(private readonly tierTags: TierTags, private readonly hostEnv: NodeJS.ProcessEnv = process.env) {}

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
    // Its own process group, so a timeout or Ctrl-C ends Vitest's workers too, not only Vitest.
    const child = execa(argv[0]!, argv.slice(1), {
      cwd: command.cwd,
      // An allowlist of the host's variables plus what the config lists (command.env): never the host's tokens.
      env: { ...allowlistedHostEnv(this.hostEnv), ...command.env, NO_COLOR: '1' },
      extendEnv: false,
      detached: true,
      buffer: false,
      reject: false,
      stdin: 'ignore',
    })
    child.stdout?.on('data', (chunk: Buffer) => log.write('out', chunk))
    child.stderr?.on('data', (chunk: Buffer) => log.write('err', chunk))
    const killGroup = (sig: NodeJS.Signals) => {
      try { if (child.pid) process.kill(-child.pid, sig) } catch { /* already gone */ }
    }
    const timer = shardTimer(spec.timeoutMs, signal, killGroup)
    const result = await child
    timer.dispose()
    killGroup('SIGKILL') // leftovers of the group (a worker that outlived Vitest)
    takeResults(exchange, spec.shardDir, log)
    const endedAt = new Date()
    const ended = timer.reason()
    const cause = ended === 'timeout' ? `timed out after ${spec.timeoutMs} ms (tier ${spec.tier})`
      : ended ? `stopped: ${ended}` : result.signal ? `killed by ${result.signal}` : undefined
    if (cause) log.note(cause)
    log.note(`exit code ${result.exitCode ?? 'none'}${result.signal ? `, signal ${result.signal}` : ''}`)
    log.close()
    return {
      id: spec.id, container: spec.container, tier: spec.tier, slice: spec.slice, files: spec.files,
      runtime: 'local', command: argv,
      startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString(), durationMs: endedAt.getTime() - startedAt.getTime(),
      exitCode: result.exitCode ?? null, signal: result.signal ?? null, ended, cause,
      junitPath: path.join(spec.shardDir, 'junit.xml'), logPath: log.path,
    }
  }
}
