// The bound on a shard's results folder: measured on disk (a sparse file counts for what it holds), never through
// a link, and past the limit the shard is stopped once with the cause.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { diskUsage, watchOutputSize } from '../../src/runtimes/output-bound.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-output-bound-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

test('counts allocated bytes, follows no link, and a sparse file costs what it holds', () => {
  const out = path.join(dir, 'out')
  fs.mkdirSync(path.join(out, 'sub'), { recursive: true })
  fs.writeFileSync(path.join(out, 'sub/a.bin'), Buffer.alloc(2 * 1024 * 1024, 1))
  const big = path.join(dir, 'elsewhere.bin')
  fs.writeFileSync(big, Buffer.alloc(4 * 1024 * 1024, 1))
  fs.symlinkSync(big, path.join(out, 'link.bin'))
  fs.symlinkSync(dir, path.join(out, 'up'))
  const sparse = fs.openSync(path.join(out, 'sparse.bin'), 'w')
  fs.ftruncateSync(sparse, 10 * 1024 ** 3)
  fs.closeSync(sparse)
  const used = diskUsage(out)
  expect(used).toBeGreaterThanOrEqual(2 * 1024 * 1024)
  expect(used).toBeLessThan(3 * 1024 * 1024)
})

test('past the limit, onOver is called once with the cause; over() checks once more at the end', async () => {
  const out = path.join(dir, 'flood')
  fs.mkdirSync(out)
  const causes: string[] = []
  const bound = watchOutputSize(out, 1024 * 1024, (cause) => causes.push(cause))
  expect(bound.over()).toBeUndefined()
  fs.writeFileSync(path.join(out, 'x.bin'), Buffer.alloc(3 * 1024 * 1024, 1))
  await new Promise((resolve) => setTimeout(resolve, 600))
  bound.stop()
  expect(causes).toHaveLength(1)
  expect(causes[0]).toMatch(/^wrote 3\.\d MiB into \/xtest\/out, over its limit of 1\.0 MiB \(limits\.shardOutput\)$/)
  expect(bound.over()).toBe(causes[0])
})
