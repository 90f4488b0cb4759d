import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()

const PLANNED = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((name) => `host/fast/src/${name}.test.ts`)
const suitesOf = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]!)

// Each part records timings, and the fixture's test durations change from run to run. Before,
// part 2 split with the timings part 1 had just recorded, so files ran twice or never.
describe('the parts of one split agree, whatever the earlier parts recorded', () => {
  test.each([3, 4])('--shard 1/%i … N/N one after another on one machine cover every planned test exactly once', async (count) => {
    const dir = copyFixture('split-drift')
    const seen: string[] = []
    const hashes = new Set<string>()
    for (let index = 1; index <= count; index++) {
      const junit = `part-${index}.xml`
      const { exitCode, stderr } = await runXtest(['run', '--runtime', 'local', '--shard', `${index}/${count}`, '--junit', junit], {
        cwd: dir,
      })
      expect(exitCode, stderr).toBe(0)
      hashes.add(/plan (sha256:[0-9a-f]{12})/.exec(stderr)?.[1] ?? '')
      seen.push(...suitesOf(path.join(dir, junit)))
    }
    expect([...seen].sort()).toEqual(PLANNED)
    expect(hashes.size).toBe(1)
    // Once every part has run, their timings land in timings.json for the next split.
    const timings = JSON.parse(fs.readFileSync(path.join(dir, '.xtest/timings.json'), 'utf8'))
    expect(Object.keys(timings.entries).sort()).toEqual(PLANNED)
  })
})
