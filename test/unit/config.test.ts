import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { configDefaults, configJsonSchema } from '../../src/config/json-schema.js'
import { resolveConfig } from '../../src/config/resolve.js'
import { ConfigError } from '../../src/core/errors.js'

const firstError = (raw: unknown): string => {
  try {
    resolveConfig(raw, '/r', '/r/xtest.config.ts')
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).exitCode).toBe(2)
    return (error as Error).message.replace(/^.*?xtest\.config\.ts: /, '')
  }
  throw new Error('config was accepted')
}

describe('resolveConfig', () => {
  test('fills the defaults the README documents', () => {
    const config = resolveConfig({ containers: { amp: { image: 'amp:1' } } }, '/r', null)
    expect(config.include).toEqual(['**/*.{test,spec}.?(c|m)[jt]s?(x)'])
    expect(config.exclude).toContain('**/node_modules/**')
    expect(config.tiers).toEqual({
      fast: { timeoutMs: 600_000, testTimeoutMs: undefined },
      slow: { timeoutMs: 3_600_000, testTimeoutMs: 30_000 },
      superslow: { timeoutMs: 14_400_000, testTimeoutMs: 3_600_000 },
    })
    expect(config.containers.amp).toMatchObject({ workdir: '.', network: 'none', exclude: [], provides: [] })
    expect([config.unassigned, config.overlap]).toEqual(['error', 'error'])
  })

  test.each([
    [{ containers: { opt: { image: 'o', include: [1] } } }, 'containers.opt.include[0]: expected string, received number'],
    [{ containers: { opt: { image: 'o', workDir: 'x' } } }, "containers.opt: unknown key 'workDir'"],
    [{ containers: { opt: { image: 'o', include: ['a/{b'] } } }, 'containers.opt.include[0]: invalid glob pattern'],
    [{ containers: { opt: {} } }, "containers.opt: a container needs 'image' or 'build' (or runtime: 'local')"],
    [{ containers: {} }, 'containers: at least one container is needed'],
    [{ containers: { Opt: { image: 'o' } } }, 'containers.Opt: container names use a-z, 0-9, "-" and "_"'],
    [
      { containers: { opt: { image: 'o' } }, tiers: { slow: { timeout: 'soon' } } },
      "tiers.slow.timeout: expected a duration such as '30s', '10m', '1h' or a number of milliseconds",
    ],
    [{ containers: { opt: { image: 'o' } }, overlap: 'sometimes' }, 'overlap: Invalid option: expected one of "error"|"allow"'],
    [{ containers: { opt: { image: 'o', memory: 'lots' } } }, "containers.opt.memory: expected a size such as '512m' or '4g'"],
    [{ containers: { opt: { image: 'o' } }, tier: {} }, "unknown key 'tier'"],
    ['nope', 'expected object, received string'],
  ])('%j → %s', (raw, message) => {
    expect(firstError(raw)).toBe(message)
  })
})

test('config/schema.json is generated from the current zod schema (run `npm run schema`)', () => {
  const file = path.join(import.meta.dirname, '../../config/schema.json')
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(configJsonSchema())
})

test('config/defaults.json holds the current defaults', () => {
  const file = path.join(import.meta.dirname, '../../config/defaults.json')
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(configDefaults())
})
