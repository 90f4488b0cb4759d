// The error hierarchy. Every error a user sees is an XtestError: a one-line message naming the culprit, a code
// from the registry below, and the exit code its kind means. Anything else reaching cli/main.ts is a bug.
import { ExitCode } from './exit-codes.js'

/** What went wrong, as far as the exit code is concerned. */
const ERROR_KINDS = {
  usage: ExitCode.usage,
  config: ExitCode.usage,
  infra: ExitCode.infra,
  interrupted: ExitCode.interrupted,
  tests: ExitCode.testsFailed,
} as const
export type ErrorKind = keyof typeof ERROR_KINDS

/** Every code xtest raises, with its kind. A new code is added here first. */
export const ERROR_CODES = {
  XTEST_USAGE: 'usage',
  XTEST_FAILED_REPORT: 'usage',
  XTEST_CONFIG_INVALID: 'config',
  XTEST_CONFIG_NOT_FOUND: 'config',
  XTEST_ENGINE_TIMEOUT: 'config',
  XTEST_CONFIG_LOAD: 'config',
  XTEST_CONFIG_UNSAFE: 'config',
  XTEST_UNSAFE_WRITABLE: 'config',
  XTEST_UNSAFE_OUTPUT_DIR: 'config',
  XTEST_UNSAFE_VOLUME: 'config',
  XTEST_UNSAFE_NETWORK: 'config',
  XTEST_VITEST_MISSING: 'config',
  XTEST_VITEST_VERSION: 'config',
  XTEST_IMAGE_NODE: 'config',
  XTEST_PLAN_FILE: 'config',
  XTEST_REPORT_PATH: 'config',
  XTEST_MERGE_PLANS: 'config',
  XTEST_MERGE_NO_INPUT: 'config',
  XTEST_MERGE_INPUT: 'config',
  XTEST_FILE_OUTSIDE_WORKDIR: 'config',
  XTEST_GLOB_UNUSED: 'config',
  XTEST_FILE_UNASSIGNED: 'config',
  XTEST_FILE_SKIPPED: 'config',
  XTEST_FILE_PIN_UNKNOWN: 'config',
  XTEST_FILE_OVERLAP: 'config',
  XTEST_CHANGED_GIT: 'config',
  XTEST_INFRA: 'infra',
  XTEST_ENGINE: 'infra',
  XTEST_ENGINE_UNREACHABLE: 'infra',
  XTEST_ENGINE_HOST: 'infra',
  XTEST_DOCKERODE_MISSING: 'infra',
  XTEST_IMAGE_MISSING: 'infra',
  XTEST_BUILD_FAILED: 'infra',
  XTEST_BUILD_TIMEOUT: 'infra',
  XTEST_BUILD_INTERRUPTED: 'infra',
  XTEST_REPORT_UNWRITABLE: 'infra',
  XTEST_BUILD_CONTEXT: 'infra',
  XTEST_EXEC: 'infra',
  XTEST_GIT_TIMEOUT: 'infra',
  XTEST_INTERRUPTED: 'interrupted',
  XTEST_NO_TEST_FILES: 'tests',
} as const satisfies Record<`XTEST_${string}`, ErrorKind>
export type XtestErrorCode = keyof typeof ERROR_CODES
/** The codes of one kind. */
export type CodeOf<K extends ErrorKind> = { [C in XtestErrorCode]: (typeof ERROR_CODES)[C] extends K ? C : never }[XtestErrorCode]

export type XtestErrorOptions = ErrorOptions & { hint?: string }

/** A user-facing error: `message` is one line that names the culprit (config path, file, container). */
export class XtestError extends Error {
  readonly kind: ErrorKind
  readonly exitCode: number
  readonly hint: string | undefined
  constructor(
    message: string,
    readonly code: XtestErrorCode,
    options?: XtestErrorOptions,
  ) {
    super(message, options)
    this.name = new.target.name
    this.kind = ERROR_CODES[code]
    this.exitCode = ERROR_KINDS[this.kind]
    this.hint = options?.hint
  }
}

/** Bad command line: exit 2. */
export class UsageError extends XtestError {
  constructor(message: string, code: CodeOf<'usage'> = 'XTEST_USAGE', options?: XtestErrorOptions) {
    super(message, code, options)
  }
}

/** Bad config or bad input files: exit 2. */
export class ConfigError extends XtestError {
  constructor(message: string, code: CodeOf<'config'> = 'XTEST_CONFIG_INVALID', options?: XtestErrorOptions) {
    super(message, code, options)
  }
}

/** Engine unreachable, image missing, build failed: exit 3. */
export class InfraError extends XtestError {
  constructor(message: string, code: CodeOf<'infra'> = 'XTEST_INFRA', options?: XtestErrorOptions) {
    super(message, code, options)
  }
}

/** An engine call that failed; calls on a container that ended with an HTTP error carry its status (404 gone, 409 conflict). */
export class EngineError extends InfraError {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message, 'XTEST_ENGINE')
  }
}
