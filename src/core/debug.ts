// Diagnostics on stderr, off unless asked for: DEBUG=xtest:* (or a list such as xtest:docker,xtest:plan), or
// `xtest --debug`, which sets DEBUG=xtest:* for the run. Namespaces: xtest:docker (every engine call), xtest:plan
// (what a run selects: --changed, parts, slices).
import { printable } from './printable.js'

const enabled = (namespace: string, env: NodeJS.ProcessEnv): boolean =>
  (env.DEBUG ?? '')
    .split(/[\s,]+/)
    .some(
      (pattern) =>
        pattern === namespace ||
        (pattern.endsWith('*') && pattern !== '*' && namespace.startsWith(pattern.slice(0, -1))) ||
        pattern === '*',
    )

/** A logger for one namespace; DEBUG is read at the first line, so `--debug` works after modules have loaded. */
export function createDebug(
  namespace: string,
  env: NodeJS.ProcessEnv = process.env,
  write: (line: string) => void = (line) => {
    process.stderr.write(line)
  },
): (line: string) => void {
  let on: boolean | undefined
  return (line) => {
    on ??= enabled(namespace, env)
    if (on) write(`${namespace} ${printable(line)}\n`)
  }
}
