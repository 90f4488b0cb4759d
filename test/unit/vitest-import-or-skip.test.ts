import path from 'node:path'
import semver from 'semver'
import { describe, expect, test } from 'vitest'
import { importOrSkip } from '../../src/vitest/import-or-skip.js'

// Missing modules skip the calling test or file, so they are covered by test/e2e/vitest-guards.test.ts.
describe('importOrSkip with an installed module', () => {
  test('returns the module for a package name, a built-in and a loader', async () => {
    expect(await importOrSkip('semver')).toHaveProperty('gte')
    expect(await importOrSkip<typeof path>('node:path')).toHaveProperty('join', path.join)
    const loaded = await importOrSkip(() => import('node:path'))
    expect(loaded.join('a', 'b')).toBe('a/b')
  })

  test('returns the module when its version is at least minVersion', async () => {
    const version = semver.parse(
      JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('node_modules/semver/package.json', 'utf8'))).version,
    )!
    expect(await importOrSkip('semver', { minVersion: `${version.major}` })).toHaveProperty('gte')
    expect(await importOrSkip(() => import('semver'), { minVersion: `${version.major}.0.0` })).toHaveProperty('default')
  })

  test('rejects misuse: a relative path in the string form, a minVersion that is not a version', async () => {
    await expect(importOrSkip('./local.js')).rejects.toThrow(
      "pass a package name, or a loader for paths: importOrSkip(() => import('./local.js'))",
    )
    await expect(importOrSkip('semver', { minVersion: 'latest' })).rejects.toThrow("minVersion 'latest' is not a version")
  })
})
