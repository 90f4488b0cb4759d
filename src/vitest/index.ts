/**
 * `vitest-xtest/vitest`: the Vitest side, light enough for every shard to load. The plugin (`plugins: [xtest()]` in
 * vitest.config.*) and the guard for modules only some images have (`await importOrSkip('opt-solver')`).
 */
export { xtest, xtest as default, tierTagsToDeclare } from './plugin.js'
export { importOrSkip, type ImportOrSkipOptions, type ImportOrSkipLoaderOptions } from './import-or-skip.js'
