import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { ShardLog } from '../../src/runtimes/shard-log.js'

const logPath = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-log-')), 'output.log')
const fixedClock = () => new Date('2026-11-21T10:00:00.000Z')

test('prefixes every line with a timestamp and its stream, joining chunks split mid-line', () => {
  const file = logPath()
  const log = new ShardLog(file, { now: fixedClock })
  log.write('out', 'hel')
  log.write('out', Buffer.from('lo\nwor'))
  log.write('err', 'oops\n')
  log.write('out', 'ld')
  log.note('exit code 0')
  log.close()
  expect(fs.readFileSync(file, 'utf8')).toBe(
    [
      '2026-11-21T10:00:00.000Z out hello',
      '2026-11-21T10:00:00.000Z err oops',
      '2026-11-21T10:00:00.000Z xtest exit code 0',
      '2026-11-21T10:00:00.000Z out world',
      '',
    ].join('\n'),
  )
})

test('cuts a line past the line limit, and keeps a head, a marker and the tail of a flood', () => {
  const file = logPath()
  const log = new ShardLog(file, { now: fixedClock, headBytes: 1000, tailBytes: 300, maxLineBytes: 50 })
  log.write('out', `${'x'.repeat(500)}\n`)
  for (let i = 0; i < 1000; i++) log.write('out', `line ${i}\n`)
  log.close()
  const text = fs.readFileSync(file, 'utf8')
  expect(text.split('\n')[0]).toBe(`2026-11-21T10:00:00.000Z out ${'x'.repeat(50)} [xtest: line cut]`)
  expect(text).toMatch(/\[xtest\] output\.log capped: \d+ bytes left out here; the last 300 bytes follow/)
  expect(text.endsWith('2026-11-21T10:00:00.000Z out line 999\n')).toBe(true)
  expect(Buffer.byteLength(text)).toBeLessThan(1000 + 300 + 200)
})

test("demuxes the engine's frames, however the chunks split them", async () => {
  const { demuxFrames } = await import('../../src/runtimes/docker-calls.js')
  const frame = (kind: number, text: string) => {
    const header = Buffer.alloc(8)
    header[0] = kind
    header.writeUInt32BE(Buffer.byteLength(text), 4)
    return Buffer.concat([header, Buffer.from(text)])
  }
  const whole = Buffer.concat([frame(1, 'hello '), frame(2, 'oops'), frame(1, 'world')])
  for (const size of [1, 3, 7, 8, 9, whole.length]) {
    const got: Record<number, string> = { 1: '', 2: '' }
    const demux = demuxFrames((kind, payload) => {
      got[kind] += payload.toString()
    })
    for (let at = 0; at < whole.length; at += size) demux(whole.subarray(at, at + size))
    expect(got).toEqual({ 1: 'hello world', 2: 'oops' })
  }
})
