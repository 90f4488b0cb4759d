import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { fixture } from '../helpers/cli.js'
import { requireEngine, spawnXtest, useLeftovers } from '../helpers/docker.js'

// A container shard printing 1 GiB (100 MB of it without a newline) through the engine's attach stream.
const cwd = fixture('local-faults')
const leftovers = useLeftovers()
beforeAll(() => requireEngine())

test('a 1 GiB flood from a container: xtest stays under 150 MB, output.log is capped, the shard passes', async () => {
  const junit = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-flood-')), 'junit.xml')
  const child = spawnXtest(['run', '--config', 'xtest.docker-flood.config.json', '--runtime', 'docker', '--junit', junit], {
    cwd,
    env: { FLOOD_MB: '1024' },
  })
  leftovers.pids.add(child.pid!)
  let peakKb = 0
  const sampler = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, Number(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0))
    } catch {
      /* the process ended between two samples */
    }
  }, 50)
  const result = await child.finally(() => clearInterval(sampler))
  const runDir = leftovers.runDirOf(result.stderr, cwd)
  expect(result.exitCode, result.stderr).toBe(0)
  console.info(`xtest peak RSS during a 1 GiB container flood: ${Math.round(peakKb / 1024)} MB`)
  expect(peakKb / 1024).toBeLessThan(150)
  const log = path.join(runDir, 'flood.fast', 'output.log')
  expect(fs.statSync(log).size).toBeLessThan(60 * 1024 * 1024)
  expect(fs.readFileSync(log, 'utf8').slice(-3 * 1024 * 1024)).toContain('[xtest] output.log capped')
}, 300_000)
