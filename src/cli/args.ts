// The option parsers live with the request they build (plan/options.ts); the commands that parse a flag or two
// on their own (exec, build) import them from here.
export { parseChoice, parseContainerOption } from '../plan/options.js'
