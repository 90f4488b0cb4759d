#!/usr/bin/env node
import { main } from './cli/main.js'
import { ignoreClosedStdio } from './shared/output.js'

ignoreClosedStdio()
process.exitCode = await main(process.argv.slice(2))
