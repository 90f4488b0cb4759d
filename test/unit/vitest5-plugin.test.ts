import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { carryIntoProjects, inheritsRootPlugins } from '../../src/vitest/plugin.js'
import { shardCacheConfig } from '../../src/vitest/shard-cache.js'
import { runningVitestMajor } from '../../src/vitest/vitest-major.js'
import { repoRoot } from '../helpers/cli.js'

const pluginNames = (project: { plugins?: unknown[] }) => (project.plugins ?? []).map((p) => (p as { name: string }).name)

// Vitest 5: inline projects extend the root config unless `extends: false`; adding the plugin to them again
// registered it twice per project (the config hook ran 24 times instead of 6 over 2 shards).
describe('carrying the plugin into inline projects', () => {
  const projects = (): Array<{ extends?: boolean | string; test: { name: string }; plugins?: any[] }> => [
    { test: { name: 'plain' } },
    { extends: true, test: { name: 'extends' } },
    { extends: false, test: { name: 'alone' } },
    { extends: './other.config.ts', test: { name: 'file' } },
  ]

  test('Vitest 5: only where the project does not inherit the root (extends: false or a file)', () => {
    const config = { test: { projects: projects() } }
    carryIntoProjects(config as Parameters<typeof carryIntoProjects>[0], 5)
    expect(config.test.projects.map((p) => [p.test.name, pluginNames(p)])).toEqual([
      ['plain', []],
      ['extends', []],
      ['alone', ['xtest']],
      ['file', ['xtest']],
    ])
  })

  test('Vitest 4: every inline project but extends: true, as before', () => {
    const config = { test: { projects: projects() } }
    carryIntoProjects(config as Parameters<typeof carryIntoProjects>[0], 4)
    expect(config.test.projects.map((p) => [p.test.name, pluginNames(p)])).toEqual([
      ['plain', ['xtest']],
      ['extends', []],
      ['alone', ['xtest']],
      ['file', ['xtest']],
    ])
  })

  test('inheritsRootPlugins: an unknown Vitest is treated as 4', () => {
    expect([
      inheritsRootPlugins({}, null),
      inheritsRootPlugins({}, 4),
      inheritsRootPlugins({}, 5),
      inheritsRootPlugins({ extends: false }, 6),
    ]).toEqual([false, false, true, false])
  })

  test("the running Vitest's major comes from the package of the entry script, else from cwd", () => {
    const installed = Number(
      JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/vitest/package.json'), 'utf8')).version.split('.')[0],
    )
    expect(runningVitestMajor(path.join(repoRoot, 'node_modules/vitest/vitest.mjs'), '/')).toBe(installed)
    expect(runningVitestMajor(path.join(repoRoot, 'dist/cli.js'), repoRoot)).toBe(installed)
    expect(runningVitestMajor(undefined, '/')).toBeNull()
  })
})

// Vitest 5.1's fsModuleCache writes node_modules/.vitest-cache; a shard that cannot write there warned on every run.
describe("the shard's caches", () => {
  const readOnly = () => false
  const temp = () => '/tmp/xtest-vite-abc'

  test("node_modules not writable: Vite's cacheDir in a private temp folder, no module cache", () => {
    expect(shardCacheConfig({}, repoRoot, readOnly, temp)).toEqual({ cacheDir: '/tmp/xtest-vite-abc', test: { fsModuleCache: false } })
  })

  test("node_modules writable: Vitest's defaults", () => {
    expect(shardCacheConfig({}, repoRoot, () => true, temp)).toBeUndefined()
  })

  test('what the user set stays', () => {
    expect(shardCacheConfig({ cacheDir: '/c', test: { fsModuleCachePath: '/m' } }, repoRoot, readOnly, temp)).toBeUndefined()
    expect(shardCacheConfig({ test: { fsModuleCache: true } }, repoRoot, readOnly, temp)).toEqual({ cacheDir: '/tmp/xtest-vite-abc' })
  })

  test('the folder checked is the nearest node_modules above the root', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-cache-'))
    fs.mkdirSync(path.join(dir, 'node_modules'))
    fs.mkdirSync(path.join(dir, 'pkg/app'), { recursive: true })
    const checked: string[] = []
    shardCacheConfig(
      { root: 'app' },
      path.join(dir, 'pkg'),
      (folder) => {
        checked.push(folder)
        return true
      },
      temp,
    )
    expect(checked).toEqual([path.join(dir, 'node_modules')])
    fs.rmSync(dir, { recursive: true })
  })
})
