// The runtime names, listed once: the config schema, --runtime, exec() and the runtimes all take their names from here.
export const RUNTIMES = ['docker', 'local'] as const
export type RuntimeName = (typeof RUNTIMES)[number]

/** What `--runtime` and `exec({ runtime })` take: a runtime, or auto (docker when every engine answers, else local). */
export const RUNTIME_CHOICES = ['auto', ...RUNTIMES] as const
export type RuntimeChoice = (typeof RUNTIME_CHOICES)[number]
