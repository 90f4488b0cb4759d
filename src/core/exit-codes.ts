// What `xtest` exits with (README "Exit codes"): the only numbers the CLI hands to the shell.
export const ExitCode = { ok: 0, testsFailed: 1, usage: 2, infra: 3, interrupted: 130 } as const
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]
