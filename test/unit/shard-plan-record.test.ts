import { describe, expect, test } from 'vitest'
import { parseChangedOption, parseShardOption, parseSlicesOption } from '../../src/plan/options.js'
import { compareContainers, createPlanRecord, fingerprintContainers, parsePlanRecord, toCanonicalJson } from '../../src/plan/plan-record.js'
import type { Plan } from '../../src/plan/types.js'
import { parseTimingsOption } from '../../src/run/merge-request.js'

const plan = (root: string): Plan => ({
  version: 1,
  root,
  configPath: `${root}/xtest.config.ts`,
  containers: ['amp'],
  tiers: ['fast', 'slow', 'superslow'],
  shards: [{ id: 'amp.fast', container: 'amp', tier: 'fast', files: ['a.test.ts'] }],
  files: [],
  errors: [],
  warnings: [],
})

describe('plan.json', () => {
  test('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(toCanonicalJson({ b: [{ d: 1, c: undefined, a: 'x' }], a: null })).toBe('{"a":null,"b":[{"a":"x","d":1}]}')
  })

  test('the hash ignores where the repo is checked out, the part and the time; it changes with the files or weights', () => {
    const containers = fingerprintContainers({ amp: { image: 'amp:1', slices: 2 } })
    const one = createPlanRecord({
      plan: plan('/ci/repo'),
      weights: { 'amp/fast/a.test.ts': 1000 },
      containers,
      shard: { index: 1, count: 4 },
      now: new Date(0),
    })
    const two = createPlanRecord({ plan: plan('/home/me/repo'), weights: { 'amp/fast/a.test.ts': 1000 }, containers, now: new Date() })
    expect(one.hash).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(two.hash).toBe(one.hash)
    expect(
      createPlanRecord({ plan: plan('/ci/repo'), weights: { 'amp/fast/a.test.ts': 2000 }, containers, now: new Date(0) }).hash,
    ).not.toBe(one.hash)
    expect(fingerprintContainers({ amp: { image: 'amp:1' } })).toEqual(containers)
  })

  test('reads a record or a bare plan; an edited record is refused', () => {
    const record = createPlanRecord({ plan: plan('/r'), weights: { 'amp/fast/a.test.ts': 10 }, containers: {}, now: new Date(0) })
    expect(parsePlanRecord(JSON.stringify(record))).toMatchObject({ ok: true, value: { hash: record.hash, weights: record.weights } })
    expect(parsePlanRecord(JSON.stringify(plan('/r')))).toEqual({ ok: true, value: { plan: plan('/r') } })
    const edited = { ...record, weights: { 'amp/fast/a.test.ts': 11 } }
    expect(parsePlanRecord(JSON.stringify(edited))).toEqual({
      ok: false,
      message: `its hash ${record.hash} does not match its content (edited by hand?)`,
    })
    expect(parsePlanRecord('{"version":1,"shards":[{"container":"amp"}]}')).toEqual({
      ok: false,
      message: 'shards[0] is not a shard (container, tier, files)',
    })
  })

  test('containers that differ from the config are named', () => {
    expect(compareContainers({ amp: 'h1', opt: 'h2' }, { amp: 'h1x', gpu: 'h3' })).toEqual([
      'container amp is defined differently in the config than when the plan was made',
      'container opt of the plan is not in the config',
      'container gpu is new in the config (the plan does not use it)',
    ])
  })
})

describe('scale options', () => {
  test.each(['0/3', '4/3', 'x', '3', '1/0', '-1/2', '1.5/3', '1/10001', '1/99999999999'])('--shard %s is a usage error', (value) => {
    expect(() => parseShardOption(value)).toThrow(`--shard expects I/N with 1 ≤ I ≤ N ≤ 10000 (e.g. --shard 2/4), got '${value}'`)
  })

  test('valid values', () => {
    expect(parseShardOption('3/3')).toEqual({ index: 3, count: 3 })
    expect(parseShardOption(undefined)).toBeUndefined()
    expect(parseSlicesOption('auto')).toBe('auto')
    expect(parseSlicesOption(4)).toBe(4)
    expect(() => parseSlicesOption('0')).toThrow("--slices expects a whole number ≥ 1 or 'auto', got '0'")
    expect(parseChangedOption(true)).toBe(true)
    expect(parseChangedOption('origin/main')).toBe('origin/main')
    expect(parseTimingsOption(true)).toBe(true)
    expect(() => parseTimingsOption('a.xml')).toThrow(/^--timings writes a JSON file, got 'a.xml'/)
  })
})
