import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import { fixture, repoRoot } from '../helpers/cli.js'

// Issue 13: the library's plan() and run() are the pipeline the CLI runs (built dist/index.js, real local runtime):
// same checks, same merged report and exit code, nothing printed.
const api = () => import(pathToFileURL(path.join(repoRoot, 'dist/index.js')).href) as Promise<typeof import('../../src/index.js')>

describe('plan() and run() from code', () => {
  test('run() merges the report and returns the exit code; plan() shows its shards; merge() re-merges the report', async () => {
    const { plan, run, merge, exitCodeFor, XtestError } = await api()
    const config = path.join(fixture('local-failures'), 'xtest.config.json')
    const planned = await plan({ config, tiers: 'fast' })
    expect(planned.prepared.plan.shards.map((shard) => shard.id)).toEqual(['host.fast'])
    const junit = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-library-')), 'junit.xml')
    const notices: string[] = []
    const done = await run({ config, junit, progress: 'none', onNotice: (line) => notices.push(line) })
    expect(done.exitCode).toBe(1)
    expect(done.summary?.totals.failed).toBeGreaterThan(0)
    expect(fs.readFileSync(junit, 'utf8')).toContain('<testsuites')
    expect(notices.some((line) => line.startsWith('merged report '))).toBe(true)
    expect(fs.existsSync(path.join(done.runFolder!, 'junit.xml'))).toBe(true)
    const merged = await merge([junit], { output: path.join(path.dirname(junit), 'merged.xml') })
    expect(merged.totals).toEqual(done.summary?.totals)
    expect(exitCodeFor(merged)).toBe(1)
    await expect(run({ config, containers: ['nope'] })).rejects.toSatisfy((error) => error instanceof XtestError && error.exitCode === 2)
  })
})
