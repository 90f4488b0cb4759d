// Signal names from numbers: a container's exit code 128+n, or a process killed by signal n.
import { constants } from 'node:os'

// NOTE: some numbers have two names (6: SIGABRT and SIGIOT); the first listed, the usual one, wins.
const SIGNAL_NAMES = new Map<number, string>()
for (const [name, number] of Object.entries(constants.signals)) if (!SIGNAL_NAMES.has(number)) SIGNAL_NAMES.set(number, name)

/** `SIGKILL` for 9; null for a number that is no signal here. */
export const signalName = (n: number): string | null => SIGNAL_NAMES.get(n) ?? null

/** The signal of a shell-style exit code (128+n, n < 32), or null. */
export const signalOfExitCode = (code: number | null): string | null =>
  code !== null && code > 128 && code < 160 ? (signalName(code - 128) ?? `signal ${code - 128}`) : null
