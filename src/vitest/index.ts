/** `xtest/vitest`: the Vitest plugin. Add it in vitest.config.*: `plugins: [xtest()]`. */
export { xtest, xtest as default, tierTagsToDeclare } from './plugin.js'
