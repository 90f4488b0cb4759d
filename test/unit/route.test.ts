import { describe, expect, test } from 'vitest'
import { resolveConfig } from '../../src/config/resolve.js'
import { createPlan } from '../../src/plan/plan.js'
import { routeFile } from '../../src/plan/route.js'
import { scanSource } from '../../src/plan/scan-source.js'

// Spelled in two parts: Vitest reads a module tag anywhere in this file's own text.
const MT = '@' + 'module-tag'
const config = resolveConfig(
  {
    containers: {
      amp: { image: 'amp:1', exclude: ['optimizer/**'] },
      opt: { image: 'opt:1', include: ['optimizer/**'] },
    },
  },
  '/repo',
  null,
)

describe('routeFile', () => {
  test.each([
    ['app/a.test.ts', [], ['amp']],
    ['optimizer/a.test.ts', [], ['opt']],
    ['optimizer/deep/b.test.ts', [], ['opt']],
    ['app/pinned.test.ts', ['opt'], ['opt']],
    ['optimizer/pinned.test.ts', ['amp'], ['amp']],
    ['app/both.test.ts', ['amp', 'opt'], ['amp', 'opt']],
  ])('%s with pins %j goes to %j', (file, pins, expected) => {
    expect(routeFile(file, config.containers, pins).matches.map((m) => m.container)).toEqual(expected)
  })

  test('says why each container refused a file', () => {
    const narrow = resolveConfig(
      { containers: { a: { image: 'a', include: ['src/**'] }, b: { image: 'b', exclude: ['lib/**'] } } },
      '/r',
      null,
    )
    expect(routeFile('lib/x.test.ts', narrow.containers, []).rejections).toEqual([
      { container: 'a', reason: "not in include 'src/**'" },
      { container: 'b', reason: "exclude 'lib/**'" },
    ])
  })

  test('reports pins naming unknown containers', () => {
    expect(routeFile('a.test.ts', config.containers, ['gpu']).unknownPins).toEqual(['gpu'])
  })
})

describe('createPlan', () => {
  const sources: Record<string, string> = {
    'app/a.test.ts': `test('a', () => {}); test('b', { tags: ['slow'] }, () => {})`,
    'app/e2e.test.ts': `/** ${MT} superslow */ test('a', () => {})`,
    'optimizer/o.test.ts': `test('o', () => {})`,
  }
  const plan = createPlan({ config, files: Object.keys(sources).sort(), facts: (f) => scanSource(sources[f]!) })

  test('makes one shard per (container, tier) with files, fast first', () => {
    expect(plan.shards.map((s) => [s.id, s.files])).toEqual([
      ['amp.fast', ['app/a.test.ts']],
      ['opt.fast', ['optimizer/o.test.ts']],
      ['amp.slow', ['app/a.test.ts']],
      ['amp.superslow', ['app/e2e.test.ts']],
    ])
    expect(plan.errors).toEqual([])
  })

  test('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan)
  })

  test('an unassigned file is an error, or a warning when the config says so', () => {
    const only = resolveConfig({ containers: { opt: { image: 'o', include: ['optimizer/**'] } } }, '/r', null)
    const facts = () => scanSource('')
    expect(createPlan({ config: only, files: ['app/x.test.ts'], facts }).errors.map((e) => e.file)).toEqual(['app/x.test.ts'])
    const warn = { ...only, unassigned: 'warn' as const }
    const plan2 = createPlan({ config: warn, files: ['app/x.test.ts'], facts })
    expect([plan2.errors.length, plan2.warnings.map((w) => w.code), plan2.shards.length]).toEqual([
      0,
      ['XTEST_GLOB_UNUSED', 'XTEST_FILE_UNASSIGNED'],
      0,
    ])
  })

  test('an overlapping file is an error unless overlap is allowed', () => {
    const both = resolveConfig({ containers: { a: { image: 'a' }, b: { image: 'b' } } }, '/r', null)
    const facts = () => scanSource('')
    expect(createPlan({ config: both, files: ['x.test.ts'], facts }).errors[0]!.code).toBe('XTEST_FILE_OVERLAP')
    const allowed = createPlan({ config: { ...both, overlap: 'allow' }, files: ['x.test.ts'], facts })
    expect([allowed.errors, allowed.shards.map((s) => s.id)]).toEqual([[], ['a.fast', 'b.fast']])
  })
})

describe('plan rules', () => {
  const facts = () => scanSource('')
  test("a file outside its container's workdir is an error naming both", () => {
    const config = resolveConfig({ containers: { opt: { image: 'o', workdir: 'optimizer' } } }, '/r', null)
    const plan = createPlan({ config, files: ['app/a.test.ts', 'optimizer/b.test.ts'], facts })
    expect(plan.errors.map((e) => e.message)).toEqual([
      "app/a.test.ts: routed to container opt (all files) but outside its workdir 'optimizer', where its Vitest runs",
    ])
    expect(plan.shards.map((s) => s.files)).toEqual([['optimizer/b.test.ts']])
    expect(plan.errors.map((e) => e.code)).toEqual(['XTEST_FILE_OUTSIDE_WORKDIR'])
  })

  test('a pin naming no container is an error with its own code', () => {
    const config = resolveConfig({ containers: { opt: { image: 'o' } } }, '/r', null)
    const plan = createPlan({ config, files: ['p.test.ts'], facts: () => scanSource('/** @xtest-container nope */') })
    expect(plan.errors.map((e) => [e.file, e.code])).toEqual([['p.test.ts', 'XTEST_FILE_PIN_UNKNOWN']])
  })

  test('an include glob that matches nothing is a warning', () => {
    const config = resolveConfig({ containers: { opt: { image: 'o', include: ['optimiser/**', 'src/**'] } } }, '/r', null)
    const plan = createPlan({ config, files: ['src/a.test.ts'], facts })
    expect(plan.warnings.map((w) => w.message)).toEqual(["containers.opt.include[0]: 'optimiser/**' matches no test file"])
    expect(plan.errors).toEqual([])
  })
})
