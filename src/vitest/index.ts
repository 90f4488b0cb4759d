/**
 * `vitest-xtest/vitest`: the Vitest side, light enough for every shard to load. The plugin (`plugins: [xtest()]` in
 * vitest.config.*) and the guard for modules only some images have (`await importOrSkip('opt-solver')`).
 */

export { type ImportOrSkipLoaderOptions, type ImportOrSkipOptions, importOrSkip } from './import-or-skip.js'
export { tierTagsToDeclare, xtest, xtest as default } from './plugin.js'
