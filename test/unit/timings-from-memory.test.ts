import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test, vi } from 'vitest'
import { resolveConfig } from '../../src/config/resolve.js'
import { createPlan } from '../../src/plan/plan.js'
import { scanSource } from '../../src/plan/scan-source.js'
import { finishRun } from '../../src/run/finish.js'
import { createRunFolder } from '../../src/store/run-folder.js'
import { loadTimings, timingsPathOf } from '../../src/store/timings.js'
import { outcomeOf, tempDir } from '../fixtures-junit/helpers.js'

// The run's durations and its HTML page come from the merged report the merge made in memory; the merged junit.xml
// it has just written (and its copy at --junit) is never read back. Every readJUnit call is recorded to show it.
const reads = vi.hoisted(() => [] as string[])
vi.mock('../../src/report/read-junit.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/report/read-junit.js')>()
  return {
    ...original,
    readJUnit: (file: string, ...rest: unknown[]) => {
      reads.push(path.resolve(file))
      return (original.readJUnit as (...args: unknown[]) => unknown)(file, ...rest)
    },
  }
})

const SHARD_XML = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="a.test.ts" file="a.test.ts" tests="1" failures="0" errors="0" skipped="0" time="1.5">
<testcase classname="a.test.ts" name="adds" time="1.5"/></testsuite></testsuites>
`

describe('timings are recorded from the merged report in memory', () => {
  test('finishRun records a.test.ts and writes report.html without reading the merged junit.xml or its copy', async () => {
    const root = tempDir()
    const config = resolveConfig({ containers: { amp: { image: 'amp:1' } } }, root, null)
    const plan = createPlan({ config, files: ['a.test.ts'], facts: () => scanSource('') })
    const folder = createRunFolder(path.join(root, '.xtest'))
    const shardDir = path.join(folder.dir, 'amp.fast')
    fs.mkdirSync(shardDir, { recursive: true })
    fs.writeFileSync(path.join(shardDir, 'junit.xml'), SHARD_XML)
    const outcome = outcomeOf({ id: 'amp.fast', files: ['a.test.ts'], junitPath: path.join(shardDir, 'junit.xml') })
    const spec = { id: 'amp.fast', container: 'amp', tier: 'fast', files: ['a.test.ts'] }
    const copy = path.join(root, 'out', 'junit.xml')
    const { exitCode, html } = await finishRun({
      request: { config, env: {}, junitPath: copy, warn: () => {} } as never,
      work: { work: { prepared: { plan }, timings: { version: 1, entries: {} } } as never, adds: { planHash: 'sha256:x' } },
      interrupted: false,
      cache: undefined,
      hooks: { notice: () => {}, warn: () => {} },
      result: { folder, specs: [spec] as never, outcomes: [outcome], cached: [] },
    })
    expect(exitCode).toBe(0)
    expect(html).toBe(path.join(root, '.xtest', 'report.html'))
    expect(fs.readFileSync(html!, 'utf8')).toContain('a.test.ts')
    expect(fs.existsSync(copy)).toBe(true)
    expect(loadTimings(timingsPathOf(config)).entries).toHaveProperty(['amp/fast/a.test.ts'])
    expect(reads).toContain(path.join(shardDir, 'junit.xml'))
    expect(reads).not.toContain(path.join(folder.dir, 'junit.xml'))
    expect(reads).not.toContain(copy)
  })
})
