import { isCI } from '../core/ci.js'
import type { Writable } from 'node:stream'

/** Where the CLI writes: stdout for results, stderr for progress, warnings and errors. Injectable for tests. */
export interface Output {
  stdout: Writable
  stderr: Writable
  /** Live progress on a TTY; plain lines in CI or when piped. */
  interactive: boolean
  color: boolean
}

export function defaultOutput(env: NodeJS.ProcessEnv = process.env): Output {
  const tty = Boolean(process.stderr.isTTY)
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: tty && !isCI(env),
    color: colorWanted(tty, env),
  }
}

/** FORCE_COLOR (other than 0/false) turns colour on, else NO_COLOR turns it off, else a terminal that is not dumb has it. */
export function colorWanted(tty: boolean, env: NodeJS.ProcessEnv): boolean {
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
