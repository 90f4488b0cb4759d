import { loadConfig } from '../../config/load.js'
import { createEngine } from '../../runtimes/engine.js'
import { withBuildDeadline } from '../../runtimes/build-deadline.js'
import type { EngineClient } from '../../runtimes/engine-client.js'
import { removeContainer } from '../../runtimes/docker.js'
import { ensureImage } from '../../runtimes/docker-image.js'
import { selectRuntimes } from '../../runtimes/select.js'
import { cleanLeftovers, pidAlive, reapLocalShards } from '../../run/clean.js'
import { removeOrphanExchanges } from '../../runtimes/shard-exchange.js'
import { execInContainer } from '../../run/exec-command.js'
import { buildLogPath } from '../../run/run-folder.js'
import { ConfigError, InfraError } from '../../shared/errors.js'
import { writeLine, type Output } from '../../shared/output.js'
import { parseChoice, parseContainerOption } from '../args.js'
import { watchInterrupts } from '../interrupt.js'

/** `xtest build [NAME]...`: build (or find up to date) the images named by `build`. */
export async function buildCommand(names: string[], options: { config?: string }, out: Output): Promise<number> {
  const config = await loadConfig({ configFile: options.config })
  const known = Object.keys(config.containers)
  const selected = (parseContainerOption(names.length ? names : undefined, known) ?? known).filter((n) => config.containers[n]!.build)
  const selection = await selectRuntimes(config, selected, 'docker')
  for (const name of selected) {
    const ref = await ensureImage(selection.engines[name]!, name, config.containers[name]!, config.root, buildLogPath(config, name), withBuildDeadline(undefined, config.limits.buildTimeoutMs))
    writeLine(out.stdout, `${name}\t${ref.image}\t${ref.imageId}\t${ref.built ? 'built' : 'up to date'}`)
  }
  return 0
}

/** `xtest exec --container NAME -- CMD [ARGS...]`: its exit code is xtest's. */
export async function execCommand(options: { config?: string; container?: unknown; runtime?: unknown; '--'?: string[] }, out: Output): Promise<number> {
  const config = await loadConfig({ configFile: options.config })
  const containers = parseContainerOption(options.container, Object.keys(config.containers))
  if (containers?.length !== 1) throw new ConfigError('xtest exec needs exactly one --container NAME', 'XTEST_USAGE')
  const argv = options['--'] ?? []
  if (argv.length === 0) throw new ConfigError('xtest exec needs a command after --, e.g. xtest exec --container opt -- node --version', 'XTEST_USAGE')
  const runtime = parseChoice('runtime', options.runtime, ['auto', 'docker', 'local'] as const, 'auto')
  // First signal: stop the command and remove its container (exit 130); a second one removes it at once.
  const controller = new AbortController()
  let created: { engine: EngineClient; id: string } | undefined
  const unwatch = watchInterrupts(controller, async () => {
    if (created) await removeContainer(created.engine, created.id)
  }, { subject: 'the command', onInterrupt: (cause) => writeLine(out.stderr, `xtest: ${cause}`) })
  try {
    return await execInContainer({
      config, container: containers[0]!, argv, runtime, stdout: out.stdout, stderr: out.stderr,
      signal: controller.signal, onContainer: (engine, id) => { created = { engine, id } },
    })
  } finally {
    unwatch()
  }
}

/** `xtest clean`: kill the local shards and remove the containers of xtest runs whose owner is gone. */
export async function cleanCommand(options: { all?: boolean }, out: Output): Promise<number> {
  const killed = reapLocalShards({ all: options.all })
  if (killed.length > 0) writeLine(out.stderr, `xtest: killed ${killed.length} process${killed.length === 1 ? '' : 'es'} of local shards${options.all ? '' : ' whose xtest is gone'}`)
  const engine = await createEngine()
  const removed = await cleanLeftovers(engine, options.all ? { isAlive: () => false, now: () => Number.MAX_SAFE_INTEGER } : {}).catch((error: Error) => {
    throw new InfraError(`cannot reach the container engine: ${error.message}`, 'XTEST_ENGINE_UNREACHABLE')
  })
  writeLine(out.stderr, `xtest: removed ${removed.length} leftover container${removed.length === 1 ? '' : 's'}`)
  const folders = removeOrphanExchanges(pidAlive)
  if (folders > 0) writeLine(out.stderr, `xtest: removed ${folders} exchange folder${folders === 1 ? '' : 's'} of shards whose xtest is gone`)
  return 0
}
