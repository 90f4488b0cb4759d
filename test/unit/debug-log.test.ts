import { describe, expect, test } from 'vitest'
import { createDebug } from '../../src/core/debug.js'

// A debug switch (DEBUG=xtest:* or --debug) for engine calls and plan decisions.
describe('createDebug', () => {
  const lines = (env: NodeJS.ProcessEnv, namespace = 'xtest:docker') => {
    const written: string[] = []
    const debug = createDebug(namespace, env, (line) => written.push(line))
    debug('GET /_ping')
    return written
  }

  test('off without DEBUG, on for xtest:*, the namespace itself or *', () => {
    expect(lines({})).toEqual([])
    expect(lines({ DEBUG: 'xtest:plan' })).toEqual([])
    expect(lines({ DEBUG: 'xtest:*' })).toEqual(['xtest:docker GET /_ping\n'])
    expect(lines({ DEBUG: 'other,xtest:docker' })).toEqual(['xtest:docker GET /_ping\n'])
    expect(lines({ DEBUG: '*' })).toEqual(['xtest:docker GET /_ping\n'])
  })

  test('DEBUG is read at the first line, not when the logger is made (--debug sets it after modules load)', () => {
    const env: NodeJS.ProcessEnv = {}
    const written: string[] = []
    const debug = createDebug('xtest:plan', env, (line) => written.push(line))
    env.DEBUG = 'xtest:*'
    debug('2 shards selected')
    expect(written).toEqual(['xtest:plan 2 shards selected\n'])
  })
})
