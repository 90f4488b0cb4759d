import type { XtestConfig } from './schema.js'

/** Identity function that gives `xtest.config.ts` full types and editor completion. */
export function defineConfig(config: XtestConfig): XtestConfig {
  return config
}
