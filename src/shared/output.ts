// stdout for results, stderr for progress and errors, through one object so tests can capture both.
import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { ciVendor, isCI } from '../core/ci.js'
import { neutralizeText, type WorkflowCommands } from '../core/printable.js'

/**
 * Where the CLI writes: stdout for results, stderr for progress, warnings and errors. Both are guarded: every byte
 * written to them loses escapes and controls, and no line can start a CI command (core/printable.ts). The only ways
 * past the guard are `commands` (xtest's own annotations), `terminal` (the live progress frames, escapes and all)
 * and `passthrough` (what `xtest exec`'s command prints). Made by `makeOutput`; injectable for tests.
 */
export interface Output {
  stdout: Writable
  stderr: Writable
  /** Writes xtest's own workflow commands on stdout, outside the `::stop-commands::` wrapping of everything else. */
  commands(lines: WorkflowCommands): void
  /** Lets CI commands work again (later steps of the job may print their own): when xtest is done writing. */
  release(): void
  /** The raw stderr, for the live progress block's cursor moves and colours (on a terminal, never in CI). */
  terminal: Writable
  /** The raw streams, for the output of the command `xtest exec` runs (as `docker exec` prints it). */
  passthrough: { stdout: Writable; stderr: Writable }
  /** Live progress on a TTY; plain lines in CI or when piped. */
  interactive: boolean
  color: boolean
}

export interface OutputStreams {
  stdout: Writable
  stderr: Writable
  interactive?: boolean
  color?: boolean
  /** Tells the CI system: on GitHub Actions, stdout is wrapped in `::stop-commands::`. Default: none. */
  env?: NodeJS.ProcessEnv
}

export function defaultOutput(env: NodeJS.ProcessEnv = process.env): Output {
  const tty = Boolean(process.stderr.isTTY)
  return makeOutput({ stdout: process.stdout, stderr: process.stderr, interactive: tty && !isCI(env), color: colorWanted(tty, env), env })
}

/**
 * Guarded streams over `streams`. On GitHub Actions the first line written (on either stream) is preceded, on stderr,
 * by `::stop-commands::<token>` with a random token that nothing else prints (stderr: stdout stays pure data, say
 * `plan --json > plan.json`); `commands` resumes with `::<token>::` on stdout right before xtest's annotations, and
 * the next guarded line stops again with a new token. Azure Pipelines, TeamCity and the rest rely on the guard
 * alone (their markers are neutralised in every line).
 */
export function makeOutput(streams: OutputStreams): Output {
  const github = streams.env !== undefined && ciVendor(streams.env)?.id === 'GITHUB_ACTIONS'
  let token: string | undefined
  const stop = () => {
    if (!github || token !== undefined) return
    token = randomBytes(16).toString('hex')
    streams.stderr.write(`::stop-commands::${token}\n`)
  }
  // The runner reads both streams: the resume goes where what must follow it goes, so that it comes first.
  const resume = (stream: Writable) => {
    if (token === undefined) return
    stream.write(`::${token}::\n`)
    token = undefined
  }
  const guarded = (target: Writable): Writable => {
    // A `#` that ended the last chunk and one that starts this chunk's `#[` would print `##[`: a space between.
    let lastChar = ''
    return new Writable({
      decodeStrings: false,
      write(chunk: string | Buffer, _encoding, done) {
        stop()
        let text = neutralizeText(typeof chunk === 'string' ? chunk : chunk.toString('utf8'))
        if (lastChar === '#' && /^#?\s*(?:vso|teamcity)?\s*\[/i.test(text)) text = ` ${text}`
        if (text !== '') lastChar = text.at(-1)!
        target.write(text)
        done()
      },
    })
  }
  const output: Output = {
    stdout: guarded(streams.stdout),
    stderr: guarded(streams.stderr),
    commands(lines) {
      resume(streams.stdout)
      streams.stdout.write(lines)
    },
    release: () => resume(streams.stderr),
    terminal: streams.stderr,
    passthrough: { stdout: streams.stdout, stderr: streams.stderr },
    interactive: streams.interactive ?? false,
    color: streams.color ?? false,
  }
  return output
}

/** FORCE_COLOR (other than 0/false) turns colour on, else NO_COLOR turns it off, else a terminal that is not dumb has it. */
function colorWanted(tty: boolean, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR
  if (force !== undefined && force !== '0' && force !== 'false') return true
  if (env.NO_COLOR) return false
  return tty && env.TERM !== 'dumb'
}

export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`)
}

/**
 * A reader that goes away (`xtest run | head -1`: EPIPE) or a terminal that hangs up (EIO) must not end the run:
 * the report, the cleanup and the exit code matter more than the lines nobody reads. Without a listener, Node
 * throws a stream's 'error' event as an uncaught exception. Writes after the first error are dropped.
 */
export function ignoreClosedStdio(streams: Writable[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) stream.on('error', () => {})
}

/**
 * Resolves once what was written to `streams` has reached the OS (at once on Linux, where stdout and stderr are
 * synchronous; pipes are not on macOS), or after `limitMs` if a reader stopped reading.
 */
export async function drainStdio(streams: Writable[] = [process.stdout, process.stderr], limitMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs).unref()))
  const flushed = streams.map((stream) =>
    stream.destroyed || stream.writableEnded ? undefined : new Promise<void>((resolve) => stream.write('', () => resolve())),
  )
  await Promise.race([Promise.all(flushed), limit])
  clearTimeout(timer)
}
