// More of the public entry points' types (next to public-types.test.ts), checked by `npm run typecheck`: exec, the
// ExitCode values, defineConfig's nested keys and values, and which options each importOrSkip overload takes.
// At run time nothing is called; an overload or option that regresses, or a `@ts-expect-error` that no longer errors,
// fails the type check.
import { describe, expectTypeOf, test } from 'vitest'
import { defineConfig } from '../../src/config/define.js'
import { ExitCode, exec, UsageError, XtestError } from '../../src/index.js'
import { importOrSkip } from '../../src/vitest/index.js'

// Takes the call without making it: only its types are checked.
const never = (_: () => unknown): void => {}

describe('entry point types', () => {
  test('exec: argv is an array of strings, never a shell line; the result has a numeric exit code', () => {
    expectTypeOf(exec).parameter(0).toHaveProperty('argv').toEqualTypeOf<readonly string[]>()
    expectTypeOf(exec).parameter(0).toHaveProperty('runtime').toEqualTypeOf<'auto' | 'docker' | 'local' | undefined>()
    expectTypeOf(exec).returns.resolves.toEqualTypeOf<{ exitCode: number }>()
    never(() =>
      exec({ container: 'amp', argv: ['node', '--version'], cwd: '.', signal: AbortSignal.timeout(1000), stdout: process.stderr }),
    )
    // @ts-expect-error: a shell line is not an argv
    never(() => exec({ container: 'amp', argv: 'node --version' }))
    // @ts-expect-error: the container is required
    never(() => exec({ argv: ['node'] }))
    // @ts-expect-error: not a runtime
    never(() => exec({ container: 'amp', argv: ['node'], runtime: 'podman' }))
  })

  test('ExitCode: the literal numbers of README "Exit codes"', () => {
    expectTypeOf(ExitCode).toEqualTypeOf<{
      readonly ok: 0
      readonly testsFailed: 1
      readonly usage: 2
      readonly infra: 3
      readonly interrupted: 130
    }>()
    expectTypeOf<XtestError['exitCode']>().toEqualTypeOf<number>()
    // @ts-expect-error: not a code of the registry
    never(() => new XtestError('x', 'XTEST_NOPE'))
    // @ts-expect-error: an infrastructure code is no usage error
    never(() => new UsageError('x', 'XTEST_ENGINE'))
  })

  test('defineConfig: nested keys and values are checked too', () => {
    never(() =>
      defineConfig({
        containers: { amp: { image: 'node:20', include: ['src/**'], cpus: 2, env: { CI: true } } },
        tiers: { slow: { timeout: '5m' } },
      }),
    )
    // @ts-expect-error: an unknown container key
    never(() => defineConfig({ containers: { amp: { image: 'node:20', imgae: 'x' } } }))
    // @ts-expect-error: cpus is a number
    never(() => defineConfig({ containers: { amp: { image: 'node:20', cpus: '2' } } }))
    // @ts-expect-error: not a tier
    never(() => defineConfig({ containers: { amp: { image: 'node:20' } }, tiers: { medium: {} } }))
    // @ts-expect-error: containers are required
    never(() => defineConfig({}))
  })

  test('importOrSkip: each overload takes its own options; a loader infers a module namespace', () => {
    never(() =>
      expectTypeOf(importOrSkip(() => import('../../src/core/tiers.js'))).toEqualTypeOf<
        Promise<typeof import('../../src/core/tiers.js')>
      >(),
    )
    never(() =>
      expectTypeOf(importOrSkip(async () => 42, { name: 'answer', minVersion: '2', reason: 'r' })).toEqualTypeOf<Promise<number>>(),
    )
    never(() => importOrSkip('opt-solver', { minVersion: '1.0', reason: 'no solver' }))
    // @ts-expect-error: `name` belongs to the loader form only
    never(() => importOrSkip('opt-solver', { name: 'x' }))
    // @ts-expect-error: minVersion is a string
    never(() => importOrSkip('opt-solver', { minVersion: 2 }))
    // @ts-expect-error: a loader returns a promise
    never(() => importOrSkip(() => 42))
  })
})
