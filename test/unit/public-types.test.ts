import { describe, expectTypeOf, test } from 'vitest'
import { type ContainerConfig, defineConfig, type XtestConfig } from '../../src/config/define.js'
import {
  ConfigError,
  type EngineError,
  type InfraError,
  type UsageError,
  type XtestError,
  type XtestErrorCode,
} from '../../src/core/errors.js'
import type { ExitCodeValue } from '../../src/core/exit-codes.js'
import type { ShardStatus } from '../../src/core/shard.js'
import type { Tier } from '../../src/core/tiers.js'
import { exitCodeFor, importOrSkip, type JUnitReport, type ReadProblemKind, type Result, readJUnit } from '../../src/index.js'

// The public entry points' types, checked by `npm run typecheck` (tsconfig.test.json); at run time these
// tests call nothing. A change that loosens or breaks a signature fails the type check.
describe('public types', () => {
  test('defineConfig takes what users write and returns it typed', () => {
    expectTypeOf(defineConfig).parameter(0).toEqualTypeOf<XtestConfig>()
    expectTypeOf(defineConfig({ containers: { app: { image: 'node:20' } } })).toEqualTypeOf<XtestConfig>()
    expectTypeOf<ContainerConfig['network']>().toEqualTypeOf<string>()
    // @ts-expect-error: an unknown top-level key is a type error, not only a zod error
    expectTypeOf(() => defineConfig({ containerz: {} })).toBeFunction()
  })

  test('importOrSkip: a package name gives any unless typed; a loader keeps its module type', () => {
    // Never called: importOrSkip would import (and skip this test).
    expectTypeOf(() => importOrSkip('opt-solver')).returns.toEqualTypeOf<Promise<any>>()
    expectTypeOf(() => importOrSkip<{ solve(): number }>('opt-solver')).returns.toEqualTypeOf<Promise<{ solve(): number }>>()
    expectTypeOf(() => importOrSkip(async () => ({ solve: (): number => 1 }), { minVersion: '1' })).returns.toEqualTypeOf<
      Promise<{ solve: () => number }>
    >()
    // @ts-expect-error: a module is named by a string or loaded by a function
    expectTypeOf(() => importOrSkip(42)).toBeFunction()
  })

  test('errors: one hierarchy, codes from the registry', () => {
    expectTypeOf<UsageError>().toMatchTypeOf<XtestError>()
    expectTypeOf<ConfigError>().toMatchTypeOf<XtestError>()
    expectTypeOf<EngineError>().toMatchTypeOf<InfraError>()
    expectTypeOf<XtestError['code']>().toEqualTypeOf<XtestErrorCode>()
    // @ts-expect-error: a code outside the registry
    expectTypeOf(() => new ConfigError('x', 'XTEST_MADE_UP')).toBeFunction()
    // @ts-expect-error: an infrastructure code is no config error
    expectTypeOf(() => new ConfigError('x', 'XTEST_ENGINE')).toBeFunction()
  })

  test('readJUnit: the one result shape, the report and its notes inside value', () => {
    expectTypeOf(readJUnit).returns.resolves.toEqualTypeOf<Result<{ report: JUnitReport; notes: string[] }, ReadProblemKind>>()
  })

  test('the vocabulary', () => {
    expectTypeOf<Tier>().toEqualTypeOf<'fast' | 'slow' | 'superslow'>()
    expectTypeOf(exitCodeFor).parameter(0).extract<readonly ShardStatus[]>().toEqualTypeOf<readonly ShardStatus[]>()
    expectTypeOf(exitCodeFor).returns.toEqualTypeOf<ExitCodeValue>()
  })
})
