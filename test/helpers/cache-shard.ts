// One local shard (amp.fast) of a repository in a temp folder, as the result cache's unit tests store and select it:
// its spec, its modules.ndjson, the JUnit suites of its files and its outcome.
import fs from 'node:fs'
import path from 'node:path'
import type { ShardOutcome, ShardSpec } from '../../src/core/shard.js'
import type { ReportSuite } from '../../src/report/types.js'

export function localShardSpec(root: string, files: string[] = []): ShardSpec {
  return {
    id: 'amp.fast',
    container: 'amp',
    tier: 'fast',
    repoRoot: root,
    root,
    workdir: '.',
    files,
    shardDir: path.join(root, 'shard'),
    mounts: { readOnly: false, writable: [], outputDir: path.join(root, '.xtest') },
    timeoutMs: 1000,
    vitestArgs: [],
    env: {},
    runId: 'r1',
  } as unknown as ShardSpec
}

/** Writes the shard's record as a shard does: the main process's line (env files, globalSetup), then each file's. */
export function writeModuleRecord(spec: ShardSpec, config: object, lines: object[]): void {
  fs.mkdirSync(spec.shardDir, { recursive: true })
  const text = [{ config }, ...lines].map((line) => `${JSON.stringify(line)}\n`).join('')
  fs.writeFileSync(path.join(spec.shardDir, 'modules.ndjson'), text)
}

/** One suite of one case per file, passed unless it is left out of `passed`. */
export function fileSuites(files: string[], passed: ReadonlySet<string> = new Set(files)): ReportSuite[] {
  return files.map((file) => ({
    name: `amp/fast/${file}`,
    file,
    time: 0.01,
    properties: [
      { name: 'shard', value: 'amp.fast' },
      { name: 'status', value: passed.size === files.length ? 'passed' : 'failed' },
    ],
    cases: [{ classname: file, name: 'x', time: 0.01, result: passed.has(file) ? 'passed' : 'failed', properties: [] }],
  }))
}

export const cleanLocalOutcome = (passed = true) => ({ id: 'amp.fast', runtime: 'local', exitCode: passed ? 0 : 1 }) as ShardOutcome
