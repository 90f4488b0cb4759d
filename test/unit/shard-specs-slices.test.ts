import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { resolveConfig } from '../../src/config/resolve.js'
import type { Shard } from '../../src/plan/types.js'
import { toShardSpecs } from '../../src/run/shard-specs.js'
import type { RunFolder } from '../../src/store/run-folder.js'

// The planner counts the slices of a (container, tier) once and puts the count on each slice; the run
// reads it from the shard instead of counting sibling shards again.
test('--maxWorkers of a slice comes from the count the planner gave it, not from counting the shards', () => {
  const root = path.join(os.tmpdir(), 'xtest-shard-specs-slices')
  const config = resolveConfig({ containers: { amp: { runtime: 'local' }, opt: { runtime: 'local' } } }, root, null)
  const folder: RunFolder = { runId: 'run', dir: root, shardDir: (id) => path.join(root, id) }
  const shards: Shard[] = [
    // Two of the four slices the planner made (say the others were cached): each Vitest still gets 8 / 4 cores.
    { id: 'amp.fast.1', container: 'amp', tier: 'fast', slice: 1, slices: 4, files: ['a.test.ts'] },
    { id: 'amp.fast.3', container: 'amp', tier: 'fast', slice: 3, slices: 4, files: ['b.test.ts'] },
    // A slice with no count (a hand-made plan file): no --maxWorkers is made up for it.
    { id: 'opt.fast.1', container: 'opt', tier: 'fast', slice: 1, files: ['c.test.ts'] },
    { id: 'opt.slow', container: 'opt', tier: 'slow', files: ['d.test.ts'] },
  ]
  const specs = toShardSpecs(shards, config, folder, root, ['--bail=1'], {}, Infinity, 8)
  expect(specs.map((spec) => [spec.id, spec.vitestArgs])).toEqual([
    ['amp.fast.1', ['--bail=1', '--maxWorkers=2']],
    ['amp.fast.3', ['--bail=1', '--maxWorkers=2']],
    ['opt.fast.1', ['--bail=1']],
    ['opt.slow', ['--bail=1']],
  ])
})
