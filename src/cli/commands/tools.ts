// The maintenance commands (`build`, `exec`, `clean`): thin flag parsing over run/, kept apart from run and plan.
import { loadConfig } from '../../config/load.js'
import { UsageError } from '../../core/errors.js'
import { RUNTIME_CHOICES } from '../../core/runtimes.js'
import { exec } from '../../run/exec.js'
import { buildImages, killLocalShards, removeLeftovers } from '../../run/maintenance.js'
import { type Output, writeLine } from '../../shared/output.js'
import { parseChoice, parseContainerOption } from '../args.js'
import { watchInterrupts } from '../interrupt.js'

/**
 * `xtest build [NAME]...`: build (or find up to date) the images named by `build`. With `--images`, only the names
 * to `docker save` so that another machine finds every image up to date: the built tags, the FROM images they were
 * built on (part of their hash) and the `image:` of the other containers.
 */
export async function buildCommand(names: string[], options: { config?: string; images?: boolean }, out: Output): Promise<number> {
  const config = await loadConfig({ configFile: options.config })
  const known = Object.keys(config.containers)
  const selected = parseContainerOption(names.length ? names : undefined, known) ?? known
  const refs = await buildImages(config, selected, options.images === true)
  if (options.images === true) {
    for (const image of new Set(refs.flatMap((ref) => [ref.image, ...ref.bases]))) writeLine(out.stdout, image)
    return 0
  }
  for (const ref of refs) {
    writeLine(out.stdout, `${ref.name}\t${ref.image}\t${ref.imageId}\t${ref.built ? 'built' : 'up to date'}`)
  }
  return 0
}

/** `xtest exec --container NAME -- CMD [ARGS...]`: its exit code is xtest's (see run/exec.ts, the same as a function). */
export async function execCommand(
  options: { config?: string; container?: unknown; runtime?: unknown; '--'?: string[] },
  out: Output,
): Promise<number> {
  const containers = parseContainerOption(options.container) ?? []
  if (containers.length !== 1) throw new UsageError('xtest exec needs exactly one --container NAME')
  const argv = options['--'] ?? []
  if (argv.length === 0) throw new UsageError('xtest exec needs a command after --, e.g. xtest exec --container opt -- node --version')
  const runtime = parseChoice('runtime', options.runtime, RUNTIME_CHOICES, 'auto')
  // First signal: stop the command and remove its container (exit 130); a second one removes it at once.
  const controller = new AbortController()
  let removeCreated: (() => Promise<void>) | undefined
  const unwatch = watchInterrupts(
    controller,
    async () => {
      await removeCreated?.()
    },
    { subject: 'the command', onInterrupt: (cause) => writeLine(out.stderr, `xtest: ${cause}`) },
  )
  try {
    const run = {
      config: options.config,
      container: containers[0]!,
      argv,
      runtime,
      ...out.passthrough,
      signal: controller.signal,
    }
    return (
      await exec(run, {
        onContainer: (remove) => {
          removeCreated = remove
        },
      })
    ).exitCode
  } finally {
    unwatch()
  }
}

/** `xtest clean`: kill the local shards and remove the containers of xtest runs whose owner is gone. */
export async function cleanCommand(options: { all?: boolean }, out: Output): Promise<number> {
  const killed = killLocalShards(options.all === true)
  if (killed > 0)
    writeLine(
      out.stderr,
      `xtest: killed ${killed} process${killed === 1 ? '' : 'es'} of local shards${options.all ? '' : ' whose xtest is gone'}`,
    )
  const { removedContainers: removed, removedFolders: folders } = await removeLeftovers(options.all === true)
  writeLine(out.stderr, `xtest: removed ${removed} leftover container${removed === 1 ? '' : 's'}`)
  if (folders > 0)
    writeLine(out.stderr, `xtest: removed ${folders} exchange folder${folders === 1 ? '' : 's'} of shards whose xtest is gone`)
  return 0
}
