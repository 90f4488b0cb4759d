import { setTimeout as sleep } from 'node:timers/promises'
import { expect, test } from 'vitest'
import { noteWriteFault, takeWriteFaults, withWriteFaults } from '../../src/shared/write-faults.js'

// Two run() calls in one process (as a library user may): the faults one run notes (a full disk under its shard
// logs) are its own; the other run, finishing in between, neither takes them nor exits 3 for them.
test('each run takes only the write faults it noted, also when they overlap in time', async () => {
  const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' })
  const [first, second] = await Promise.all([
    withWriteFaults(async () => {
      noteWriteFault('/a/output.log', full)
      await sleep(50)
      return takeWriteFaults()
    }),
    withWriteFaults(async () => {
      await sleep(10)
      const taken = takeWriteFaults()
      noteWriteFault('/b/junit.xml', full)
      return [...taken, ...takeWriteFaults()]
    }),
  ])
  expect(first).toEqual([{ file: '/a/output.log', cause: 'no space left on device (ENOSPC)' }])
  expect(second).toEqual([{ file: '/b/junit.xml', cause: 'no space left on device (ENOSPC)' }])
  expect(takeWriteFaults()).toEqual([])
})
