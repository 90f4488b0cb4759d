// `vitest-xtest/config`: what an xtest.config.* imports. Only this function and types: the config loads in milliseconds,
// where `import { defineConfig } from 'vitest-xtest'` would load the whole library (zod, the planner, the report side).
import type { XtestConfig } from './schema.js'

export type { ContainerConfig, XtestConfig } from './schema.js'

/** Identity function that gives `xtest.config.ts` full types and editor completion. */
export function defineConfig(config: XtestConfig): XtestConfig {
  return config
}
