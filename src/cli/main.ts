// argv to exit code: the one place that catches errors, so every failure ends in one line and the right code.
import { cac } from 'cac'
import { UsageError, XtestError } from '../core/errors.js'
import { ExitCode } from '../core/exit-codes.js'
import { printable, printableLines } from '../core/printable.js'
import { defaultOutput, type Output, writeLine } from '../shared/output.js'
import { readPackageVersion } from '../shared/package-root.js'
import { describeFsError, isFsError } from '../shared/write-faults.js'
import { registerCommands } from './commands.js'

const version = readPackageVersion(import.meta.url)

/** argv → command → exit code. The only place that catches errors and maps them to exit codes. */
export async function main(argv: string[], out: Output = defaultOutput()): Promise<number> {
  const cli = cac('xtest')
  let result: Promise<number> | undefined
  registerCommands(cli, out, (run) => {
    result = run
  })
  cli.help()
  cli.version(version)
  try {
    cli.parse(['node', 'xtest', ...argv], { run: false })
    if (cli.options.help || cli.options.version) return ExitCode.ok
    if (cli.options.debug) process.env.DEBUG = [process.env.DEBUG, 'xtest:*'].filter(Boolean).join(',')
    if (!cli.matchedCommand) {
      if (cli.args.length > 0) throw new UsageError(`unknown command '${cli.args[0]}' (see xtest --help)`)
      cli.outputHelp()
      return ExitCode.usage
    }
    await cli.runMatchedCommand()
    return await (result ?? Promise.resolve(ExitCode.ok))
  } catch (error) {
    return reportError(error, out)
  } finally {
    out.release()
  }
}

function reportError(error: unknown, out: Output): number {
  if (error instanceof XtestError) {
    // Messages quote file names and config values: their lines are made printable (their own line breaks stay).
    writeLine(out.stderr, `xtest: ${printableLines(error.message).join('\n')}`)
    if (error.hint) writeLine(out.stderr, printableLines(error.hint).join('\n'))
    return error.exitCode
  }
  // cac's own parse errors (unknown option, missing value) are usage errors.
  if (error instanceof Error && error.name === 'CACError') {
    writeLine(out.stderr, `xtest: ${error.message} (see xtest --help)`)
    return ExitCode.usage
  }
  // The file system refused something xtest needed (a full disk, a read-only folder): the machine's fault, not a bug.
  if (isFsError(error)) {
    writeLine(out.stderr, `xtest: cannot ${error.syscall}${error.path ? ` ${printable(error.path)}` : ''}: ${describeFsError(error)}`)
    return ExitCode.infra
  }
  writeLine(out.stderr, error instanceof Error ? (error.stack ?? error.message) : String(error))
  writeLine(out.stderr, 'xtest: internal error, please report it with the lines above')
  return ExitCode.infra
}
