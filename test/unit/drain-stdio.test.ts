import { Writable } from 'node:stream'
import { expect, test } from 'vitest'
import { drainStdio } from '../../src/shared/output.js'

// Before xtest exits by process.exit: what it wrote must be out, but a reader that stopped reading must not hold it.
const slow = (delayMs: number, log: string[]) =>
  new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      setTimeout(() => {
        log.push(chunk.toString())
        done()
      }, delayMs)
    },
  })

test('waits until every stream has written what it was given', async () => {
  const log: string[] = []
  const a = slow(30, log)
  const b = slow(60, log)
  a.write('one')
  b.write('two')
  await drainStdio([a, b], 5_000)
  expect(log).toEqual(expect.arrayContaining(['one', 'two']))
})

test('gives up after its limit when a stream never drains; ended and destroyed streams are skipped', async () => {
  const stuck = new Writable({ write() {} })
  stuck.write('held')
  const ended = new Writable({ write: (_c, _e, done) => done() })
  ended.end()
  const destroyed = new Writable({ write: (_c, _e, done) => done() })
  destroyed.destroy()
  const started = Date.now()
  await drainStdio([stuck, ended, destroyed], 200)
  expect(Date.now() - started).toBeGreaterThanOrEqual(190)
  expect(Date.now() - started).toBeLessThan(2_000)
})
