#!/usr/bin/env node
// The `xtest` binary: everything it does lives in cli/main.ts, so tests can call main() without a process.
import { main } from './cli/main.js'
import { ignoreClosedStdio } from './shared/output.js'

ignoreClosedStdio()
process.exitCode = await main(process.argv.slice(2))
