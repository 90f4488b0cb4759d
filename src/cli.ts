#!/usr/bin/env node
// The `xtest` binary: everything it does lives in cli/main.ts, so tests can call main() without a process.
import { main } from './cli/main.js'
import { drainStdio, ignoreClosedStdio } from './shared/output.js'

ignoreClosedStdio()
const code = await main(process.argv.slice(2))
await drainStdio()
// Exit now rather than when the event loop empties: Node's teardown puts SIGINT back to its default first, so a
// second Ctrl-C in that window killed xtest by the signal instead of exit 130 (8 of 8 probes on Node 24), and a
// handle a dependency forgot cannot keep a finished run alive.
process.exit(code)
