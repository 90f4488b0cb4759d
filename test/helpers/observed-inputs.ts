// The input kinds of the result cache's observed-inputs tests (fixtures/cache-inputs), shared by the local-runtime
// test (test/e2e) and the engine test (test/docker): for each, an edit that makes its test file fail. A cached run
// after the edit must run that file and exit 1 with its failure, never take the stale pass from the cache.
import fs from 'node:fs'
import path from 'node:path'

export interface InputKind {
  name: string
  /** The test file that must fail after the edit. */
  file: string
  /** Changes the input (in the fixture copy `dir`), or returns env changes for the run. */
  edit: (dir: string) => Record<string, string> | undefined
}

const write = (dir: string, file: string, text: string) => fs.writeFileSync(path.join(dir, file), text)
const replace = (dir: string, file: string, from: string, to: string) =>
  write(dir, file, fs.readFileSync(path.join(dir, file), 'utf8').replace(from, to))

/** Kinds both runtimes share (files of the repository). */
export const FILE_KINDS: InputKind[] = [
  {
    name: 'a snapshot file edited',
    file: 't/snapshot.test.js',
    edit: (dir) => void replace(dir, 't/__snapshots__/snapshot.test.js.snap', '"ok"', '"edited"'),
  },
  {
    name: 'a toMatchFileSnapshot target edited',
    file: 't/file-snapshot.test.js',
    edit: (dir) => void write(dir, 'data/file-snapshot.txt', 'edited\n'),
  },
  {
    name: '.env changed (import.meta.env.VITE_*)',
    file: 't/env-file.test.js',
    edit: (dir) => void write(dir, '.env', 'VITE_GREETING=bye\n'),
  },
  {
    name: 'a globalSetup file that provides a value changed',
    file: 't/provide.test.js',
    edit: (dir) => void replace(dir, 'setup/global.js', '42', '43'),
  },
  {
    name: 'a file globalSetup reads with fs changed',
    file: 't/global-read.test.js',
    edit: (dir) => void write(dir, 'data/global.txt', 'edited\n'),
  },
  { name: 'a file a setup file reads changed', file: 't/setup-read.test.js', edit: (dir) => void write(dir, 'data/setup.txt', 'edited\n') },
  { name: 'a fixture read with node:fs changed', file: 't/fs-read.test.js', edit: (dir) => void write(dir, 'data/value.txt', 'edited\n') },
  { name: 'a folder listed with fs gained a file', file: 't/listing.test.js', edit: (dir) => void write(dir, 'data/list/c.txt', 'c\n') },
  {
    name: 'a CLI script run with child_process changed',
    file: 't/cli.test.js',
    edit: (dir) => void replace(dir, 'bin/cli.js', "'ok'", "'edited'"),
  },
  {
    name: 'a module loaded by a Worker changed',
    file: 't/worker.test.js',
    edit: (dir) => void replace(dir, 'lib/worker.js', "'ok'", "'edited'"),
  },
]

/** The local runtime: variables the shard inherits. `BASE_ENV` is what the green runs use. */
export const BASE_ENV = { TZ: 'UTC', NODE_OPTIONS: '' }
export const ENV_KINDS: InputKind[] = [
  { name: 'another TZ', file: 't/env-vars.test.js', edit: () => ({ TZ: 'Asia/Tokyo' }) },
  { name: 'another NODE_OPTIONS', file: 't/env-vars.test.js', edit: () => ({ NODE_OPTIONS: '--stack-trace-limit=7' }) },
  { name: 'another tool on PATH', file: 't/env-vars.test.js', edit: () => ({ PATH: `/opt/xtest-other-tools:${process.env.PATH}` }) },
]

/** The failed files of a merged JUnit text (suites with a failure or an error). */
export function failedFiles(junit: string): string[] {
  const failed: string[] = []
  for (const match of junit.matchAll(/<testsuite\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/testsuite>/g))
    if (/<(failure|error)\b/.test(match[2]!)) failed.push(match[1]!.split('/').slice(2).join('/'))
  return failed.sort()
}

/** The fixture's files again, without what an edit added. */
export function restore(dir: string): void {
  fs.rmSync(path.join(dir, 'data/list/c.txt'), { force: true })
  fs.cpSync(path.join(import.meta.dirname, '../../fixtures/cache-inputs'), dir, { recursive: true, force: true })
}
