#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
// The unavoidable part of `xtest plan`: list the test files with fast-glob (same include, same ignores) and read
// each once. Run as its own process so it pays Node's start-up like the CLI does. Prints the file count.
// Usage: node bench/plan/baseline.mjs ROOT
import fg from 'fast-glob'

const root = process.argv[2] ?? process.cwd()
const files = await fg(['**/*.{test,spec}.?(c|m)[jt]s?(x)'], {
  cwd: root,
  ignore: ['**/node_modules/**', '**/.git/**', '**/.xtest/**'],
  onlyFiles: true,
  dot: false,
  followSymbolicLinks: false,
})
files.sort()
let chars = 0
for (const file of files) chars += readFileSync(join(root, file), 'utf8').length
process.stdout.write(`${files.length} ${chars}\n`)
