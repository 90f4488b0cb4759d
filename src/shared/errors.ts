export const ExitCode = { ok: 0, testsFailed: 1, usage: 2, infra: 3, interrupted: 130 } as const
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/** A user-facing error: `message` is one line that names the culprit (config path, file, container). */
export class XtestError extends Error {
  constructor(
    message: string,
    readonly code: `XTEST_${string}`,
    readonly exitCode: number,
    options?: ErrorOptions & { hint?: string },
  ) {
    super(message, options)
    this.name = new.target.name
    this.hint = options?.hint
  }
  readonly hint: string | undefined
}

/** Bad config, bad CLI usage, bad input files: exit 2. */
export class ConfigError extends XtestError {
  constructor(message: string, code: `XTEST_${string}` = 'XTEST_CONFIG_INVALID', options?: ErrorOptions & { hint?: string }) {
    super(message, code, ExitCode.usage, options)
  }
}

/** Engine unreachable, image missing, build failed: exit 3. */
export class InfraError extends XtestError {
  constructor(message: string, code: `XTEST_${string}` = 'XTEST_INFRA', options?: ErrorOptions & { hint?: string }) {
    super(message, code, ExitCode.infra, options)
  }
}
