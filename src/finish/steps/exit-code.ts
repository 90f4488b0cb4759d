// Finish step, last: one line per cause for the files not written, and the exit code. A file xtest could not write
// (a full disk) is an infrastructure error (3) unless the tests already failed; an interrupted run exits 130.
import { ExitCode } from '../../core/exit-codes.js'
import { exitCodeFor } from '../../report/index.js'
import { formatWriteFaults, takeWriteFaults } from '../../shared/write-faults.js'
import type { Finishing } from '../compose.js'

export function pickExitCode({ request: { run }, summary, hooks, faults, done }: Finishing): void {
  faults.push(...takeWriteFaults())
  for (const line of formatWriteFaults(faults)) hooks.notice(line)
  if (run?.result.configError && !run.interrupted) throw run.result.configError
  const code = exitCodeFor(summary)
  done.exitCode = run?.interrupted ? ExitCode.interrupted : faults.length > 0 && code === ExitCode.ok ? ExitCode.infra : code
}
