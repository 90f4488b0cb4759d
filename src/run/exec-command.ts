// How one command runs for exec() (run/exec.ts): in the container's image with a shard's mounts, user and limits,
// or as a local process with a shard's environment; streams through, container removed however it ends.
import { execa } from 'execa'
import fs from 'node:fs'
import path from 'node:path'
import type { Duplex, Readable, Writable } from 'node:stream'
import type { ResolvedConfig } from '../config/resolve.js'
import { withBuildDeadline } from '../runtimes/build-deadline.js'
import { ensureImage } from '../runtimes/docker-image.js'
import { containerPathMapper, ownerOf, shardCreateOptions, shardUser } from '../runtimes/docker-spec.js'
import { removeContainer } from '../runtimes/docker.js'
import { createShardExchange } from '../runtimes/shard-exchange.js'
import { demuxFrames } from '../runtimes/docker-calls.js'
import { XTEST_PACKAGE_ROOT } from '../runtimes/shard-command.js'
import { allowlistedHostEnv } from '../runtimes/local-env.js'
import { killShardProcesses, ownerToken, OWNER_VARIABLE } from '../runtimes/process-sweep.js'
import { selectRuntimes } from '../runtimes/select.js'
import type { RuntimeChoice } from '../core/runtimes.js'
import { InfraError } from '../core/errors.js'
import { ExitCode } from '../core/exit-codes.js'
import { ownerLabels } from '../runtimes/owner-labels.js'
import { findRepoRoot } from './repo-root.js'
import { buildLogPath, createRunId } from './run-folder.js'
import { repoMountsOf } from './shard-specs.js'

export interface ExecInput {
  config: ResolvedConfig
  container: string
  argv: string[]
  runtime: RuntimeChoice
  stdout: Writable
  stderr: Writable
  stdin?: Readable
  /** Aborted by Ctrl-C / SIGTERM / SIGHUP: the command is stopped (SIGTERM, SIGKILL after 3 s), its container removed, exit 130. */
  signal?: AbortSignal
  /** Told how to remove the container as soon as it exists, so that a second signal can remove it at once. */
  onContainer?(remove: () => Promise<void>): void
}

const INTERRUPTED = ExitCode.interrupted

/** Runs one command (an argv array, never a shell line) in a container's image with the shard's mounts and user. Returns its exit code. */
export async function execInContainer(input: ExecInput): Promise<number> {
  const { config, container: name } = input
  const container = config.containers[name]!
  const selection = await selectRuntimes(config, [name], input.runtime)
  const cwd = path.resolve(config.root, container.workdir)
  if (selection.notice) input.stderr.write(`xtest: ${selection.notice}\n`)
  const { signal } = input
  if (signal?.aborted) return INTERRUPTED
  if (selection.runtimeOf[name] === 'local') {
    // The same allowlisted environment as a local shard (plus the config's values), never the host's tokens.
    // Its children that outlive it (a background job, a double fork) would hold its output open, and the promise with
    // it: found by their environment, as a local shard's (Linux), and killed when the command exits or is stopped.
    const [runId, owner] = [createRunId(), ownerToken()]
    const env = {
      ...allowlistedHostEnv(process.env),
      ...Object.fromEntries(Object.entries(container.env).map(([k, v]) => [k, v === true ? process.env[k] : v])),
      XTEST_CONTAINER: name,
      XTEST_RUN_ID: runId,
      [OWNER_VARIABLE]: owner,
    }
    const child = execa(input.argv[0]!, input.argv.slice(1), {
      cwd,
      reject: false,
      stdin: input.stdin ? 'pipe' : 'ignore',
      buffer: false,
      env,
      extendEnv: false,
    })
    child.once('exit', () => killShardProcesses((p) => p.runId === runId && p.owner === owner))
    // A command may exit without reading all of its stdin: the broken pipe (EPIPE) is its choice, never a crash of ours.
    if (child.stdin) input.stdin?.pipe(child.stdin.on('error', () => {}))
    child.stdout?.pipe(input.stdout, { end: false })
    child.stderr?.pipe(input.stderr, { end: false })
    const stop = onAbort(signal, (sig) => child.kill(sig))
    const result = await child.finally(stop)
    if (signal?.aborted) return INTERRUPTED
    if (result.failed && result.exitCode === undefined)
      throw new InfraError(`container ${name}: cannot run ${input.argv[0]}: ${result.shortMessage}`, 'XTEST_EXEC')
    return result.exitCode ?? 1
  }
  const engine = selection.engines[name]!
  const runId = createRunId()
  const ref = await ensureImage(
    engine,
    name,
    container,
    config.root,
    buildLogPath(config, name),
    withBuildDeadline(signal, config.limits.buildTimeoutMs),
  )
  if (signal?.aborted) return INTERRUPTED
  const repoRoot = findRepoRoot(config.root)
  const paths = containerPathMapper(repoRoot, XTEST_PACKAGE_ROOT)
  const env = Object.fromEntries(Object.entries(container.env).filter((e): e is [string, string] => e[1] !== true))
  const mounts = repoMountsOf(container, config, repoRoot, process.env)
  fs.mkdirSync(mounts.outputDir, { recursive: true }) // hidden from the container: needs its mount point
  // Only its empty folder is used: it hides the output folder from the command, as from a shard.
  const exchange = createShardExchange(`exec.${name}`)
  let id: string
  try {
    const create = shardCreateOptions({
      root: config.root,
      repoRoot,
      container,
      image: ref.image,
      xtestRoot: XTEST_PACKAGE_ROOT,
      xtestInRepo: paths.xtestInRepo,
      mounts,
      user: shardUser(container, ownerOf(repoRoot)),
      exchange: { emptyDir: exchange.emptyDir },
      command: { cmd: input.argv, cwd: paths.toShard(cwd), env: { ...env, XTEST_CONTAINER: name, XTEST_RUN_ID: runId } },
      labels: { 'xtest.run': runId, 'xtest.container': name, ...ownerLabels(repoRoot), 'xtest.exec': 'true' },
    })
    if (input.stdin) Object.assign(create, { OpenStdin: true, StdinOnce: true })
    id = await engine.createContainer(create).catch((error: Error) => {
      throw new InfraError(`container ${name}: cannot create container: ${error.message}`, 'XTEST_ENGINE')
    })
  } catch (error) {
    exchange.dispose()
    throw error
  }
  input.onContainer?.(() => removeContainer(engine, id))
  const stop = onAbort(signal, (sig) => {
    engine.killContainer(id, sig).catch(() => {})
  })
  try {
    if (signal?.aborted) return INTERRUPTED
    const stream = await engine.attachContainer(id, { stdin: input.stdin !== undefined })
    // As above: writing stdin into a container that exited breaks the pipe; its exit code comes from wait, not from here.
    stream.on('error', () => {})
    input.stdin?.pipe(stream as Duplex)
    stream.on(
      'data',
      demuxFrames((kind, payload) => (kind === 2 ? input.stderr : input.stdout).write(payload)),
    )
    const ended = new Promise<void>((resolve) => stream.on('end', resolve).on('close', resolve))
    if (signal?.aborted) return INTERRUPTED
    await engine.startContainer(id)
    const { StatusCode } = await engine.waitContainer(id)
    if (signal?.aborted) return INTERRUPTED
    await Promise.race([ended, new Promise((r) => setTimeout(r, 2000))])
    return StatusCode
  } finally {
    stop()
    await removeContainer(engine, id)
    exchange.dispose()
  }
}

// On abort: SIGTERM, then SIGKILL after 3 s (as a run's shards on Ctrl-C). Returns the clean-up.
function onAbort(signal: AbortSignal | undefined, kill: (sig: NodeJS.Signals) => void): () => void {
  if (!signal) return () => {}
  let timer: NodeJS.Timeout | undefined
  const stopCommand = () => {
    kill('SIGTERM')
    timer = setTimeout(() => kill('SIGKILL'), 3_000)
  }
  if (signal.aborted) stopCommand()
  else signal.addEventListener('abort', stopCommand, { once: true })
  return () => {
    signal.removeEventListener('abort', stopCommand)
    if (timer) clearTimeout(timer)
  }
}
