// The programmatic `xtest exec`: one command of a container's image, from an argv array (never a shell line),
// with the caller's streams and AbortSignal. `xtest exec` is a thin wrapper around it.

import path from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { loadConfig } from '../config/load.js'
import { UsageError } from '../core/errors.js'
import { ExitCode } from '../core/exit-codes.js'
import { RUNTIME_CHOICES, type RuntimeChoice } from '../core/runtimes.js'
import { withBuildDeadline } from '../runtimes/build-deadline.js'
import type { ImageRef } from '../runtimes/docker-image.js'
import { ownerLabels } from '../runtimes/owner-labels.js'
import { loadRuntimes, selectRuntimes } from '../runtimes/select.js'
import { buildLogPath, createRunId } from '../store/run-folder.js'
import { findRepoRoot } from './repo-root.js'
import { repoMountsOf, tierTagsOf } from './shard-specs.js'

export interface ExecOptions {
  /** The container's name in the xtest config. */
  container: string
  /** The command and its arguments, passed as they are: no shell, so a string is refused. */
  argv: readonly string[]
  /** The config file; by default found from `cwd` upwards. */
  config?: string
  /** Where the config is looked for (default `process.cwd()`). */
  cwd?: string
  /** Default `auto`: the container's image on the engine when there is one, else on this machine. */
  runtime?: RuntimeChoice
  /** Default `process.stdout` / `process.stderr`; they are written to, never ended. */
  stdout?: Writable
  stderr?: Writable
  /** The command's stdin; by default it has none. */
  stdin?: Readable
  /** Aborting stops the command (SIGTERM, SIGKILL 3 s later), removes its container and resolves with exit code 130. */
  signal?: AbortSignal
}

export interface ExecResult {
  /** The command's exit code; 130 when aborted. */
  exitCode: number
}

/** Runs `argv` in `container`'s image with a shard's mounts, user and limits; an engine or config problem throws an XtestError. */
export async function exec(options: ExecOptions, internal: { onContainer?(remove: () => Promise<void>): void } = {}): Promise<ExecResult> {
  if (typeof options?.container !== 'string')
    throw new UsageError(`exec: expects { container: NAME, argv: [...] }, got ${JSON.stringify(options?.container ?? options)}`)
  const { argv, container, runtime = 'auto' } = options
  if (!Array.isArray(argv) || !argv.every((arg) => typeof arg === 'string')) {
    throw new UsageError(
      `exec: argv must be an array of strings (the command and its arguments; no shell), got ${typeof argv === 'string' ? `the string '${argv}'` : typeof argv}`,
    )
  }
  if (argv.length === 0) throw new UsageError("exec: argv is empty: give the command and its arguments, e.g. ['node', '--version']")
  if (argv.some((arg) => arg.includes('\0')))
    throw new UsageError('exec: an argument of argv holds a NUL byte, which no command can receive')
  if (!(RUNTIME_CHOICES as readonly string[]).includes(runtime))
    throw new UsageError(`exec: runtime expects one of ${RUNTIME_CHOICES.join(', ')}, got '${String(runtime)}'`)
  const config = await loadConfig({ configFile: options.config, cwd: options.cwd })
  const known = Object.keys(config.containers)
  if (!known.includes(container)) throw new UsageError(`unknown container '${String(container)}' (known: ${known.join(', ')})`)
  const [box, repoRoot, runId] = [config.containers[container]!, findRepoRoot(config.root), createRunId()]
  const selection = await selectRuntimes(config, [container], runtime)
  const stderr = options.stderr ?? process.stderr
  if (selection.notice) stderr.write(`xtest: ${selection.notice}\n`)
  const signal = options.signal ?? new AbortController().signal
  const images = new Map<string, ImageRef>()
  const docker = selection.runtimeOf[container] === 'docker'
  if (docker && !signal.aborted) {
    const deadline = withBuildDeadline(signal, config.limits.buildTimeoutMs)
    const { ensureImage } = await import('../runtimes/docker-image.js')
    images.set(
      container,
      await ensureImage(selection.engines[container]!, container, box, config.root, buildLogPath(config, container), deadline),
    )
  }
  if (signal.aborted) return { exitCode: ExitCode.interrupted }
  const labels = { 'xtest.run': runId, ...ownerLabels(repoRoot) }
  const runtimes = await loadRuntimes(selection, { images, containers: config.containers, tierTags: tierTagsOf(config), labels })
  const [cwd, mounts] = [path.resolve(config.root, box.workdir), docker ? repoMountsOf(box, config, repoRoot, process.env) : undefined]
  const request = { container, argv: [...argv], root: config.root, repoRoot, cwd, runId, env: box.env, mounts }
  const streams = { stdout: options.stdout ?? process.stdout, stderr, stdin: options.stdin, onContainer: internal.onContainer }
  return { exitCode: await runtimes[selection.runtimeOf[container]!]!.exec({ ...request, ...streams }, signal) }
}
