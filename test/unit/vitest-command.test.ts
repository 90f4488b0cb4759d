import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { findVitestConfig, searchesParentFolders } from '../../src/plan/vitest-config.js'
import { chooseConfigLoader, renderWrapperConfig, tierFilter, vitestArgv } from '../../src/runtimes/vitest-command.js'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-vitest-command-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function write(file: string, text = ''): string {
  const target = path.join(tmp, file)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  fs.writeFileSync(target, text)
  return target
}

describe('tierFilter', () => {
  test('gives each test exactly one tier', () => {
    expect([tierFilter('fast'), tierFilter('slow'), tierFilter('superslow')]).toEqual([
      '!slow && !superslow',
      'slow && !superslow',
      'superslow',
    ])
  })
})

describe('findVitestConfig', () => {
  test('prefers vitest.config.* over vite.config.*, .ts first, as Vitest does', () => {
    write('order/vite.config.ts')
    write('order/vitest.config.mjs')
    expect(findVitestConfig(path.join(tmp, 'order'))).toBe(path.join(tmp, 'order/vitest.config.mjs'))
    write('order/vitest.config.ts')
    expect(findVitestConfig(path.join(tmp, 'order'))).toBe(path.join(tmp, 'order/vitest.config.ts'))
  })

  test('looks in parent directories, up to stopAt', () => {
    const config = write('parent/vite.config.js')
    fs.mkdirSync(path.join(tmp, 'parent/a/b'), { recursive: true })
    expect(findVitestConfig(path.join(tmp, 'parent/a/b'))).toBe(config)
    expect(findVitestConfig(path.join(tmp, 'parent/a/b'), path.join(tmp, 'parent/a'))).toBeNull()
  })

  test("Vitest 5's rule: only the folder itself", () => {
    const config = write('v5/vitest.config.ts')
    fs.mkdirSync(path.join(tmp, 'v5/a'), { recursive: true })
    expect(findVitestConfig(path.join(tmp, 'v5/a'), undefined, searchesParentFolders(5))).toBeNull()
    expect(findVitestConfig(path.join(tmp, 'v5'), undefined, searchesParentFolders(5))).toBe(config)
    expect(findVitestConfig(path.join(tmp, 'v5/a'), undefined, searchesParentFolders(4))).toBe(config)
  })
})

describe('vitestArgv', () => {
  const base = { vitestEntry: '/app/node_modules/vitest/vitest.mjs', wrapperPath: '/w/vitest.config.mjs' } as const
  test("runs the wrapper config with the loader and the tier filter, then the user's arguments", () => {
    expect(vitestArgv({ ...base, configLoader: 'bundle', tier: 'slow', userArgs: ['-t', 'db'] })).toEqual([
      '/app/node_modules/vitest/vitest.mjs',
      'run',
      '--config',
      '/w/vitest.config.mjs',
      '--configLoader',
      'bundle',
      '--passWithNoTests',
      '--tags-filter',
      'slow && !superslow',
      '-t',
      'db',
    ])
  })

  test.each([['--configLoader', 'bundle'], ['--configLoader=bundle']])('leaves the loader to the user who names one: %s', (...userArgs) => {
    const argv = vitestArgv({ ...base, configLoader: 'native', tier: 'fast', userArgs })
    expect(argv.filter((arg) => arg.startsWith('--configLoader'))).toEqual([userArgs[0]])
    expect(argv.slice(-userArgs.length)).toEqual(userArgs)
  })
})

describe('chooseConfigLoader', () => {
  test.each([
    ['no config at all', null, 'native'],
    ['a TypeScript config', write('loader/a/vitest.config.ts', 'export default {}'), 'bundle'],
    ['an .mts config', write('loader/b/vitest.config.mts', 'export default {}'), 'bundle'],
    [
      'plain .mjs importing packages and .js files',
      write(
        'loader/c/vitest.config.mjs',
        "import { defineConfig } from 'vitest/config'\nimport shared from './shared.js'\nimport data from '../data.json' with { type: 'json' }\nexport default defineConfig(shared)",
      ),
      'native',
    ],
    [
      '.js with a require of a .cjs file',
      write('loader/d/vitest.config.js', "const shared = require('./shared.cjs')\nmodule.exports = shared"),
      'native',
    ],
    [
      '.mjs importing a .ts helper',
      write('loader/e/vitest.config.mjs', "import shared from './vitest.shared.ts'\nexport default shared"),
      'bundle',
    ],
    [
      '.js importing an extensionless path',
      write('loader/f/vitest.config.js', "import shared from '../shared'\nexport default shared"),
      'bundle',
    ],
    [
      '.mjs with a dynamic import of a .mts file',
      write('loader/g/vitest.config.mjs', "export default async () => (await import('./setup.mts')).default"),
      'bundle',
    ],
  ])('%s → %s', (_name, file, loader) => {
    expect(chooseConfigLoader(file)).toBe(loader)
  })
})

describe('renderWrapperConfig', () => {
  const plugin = write('plugin/index.js', "export const xtest = () => ({ name: 'xtest' })\n")
  let count = 0
  async function loadWrapper(userConfigPath: string | null): Promise<{ plugins?: unknown[]; test?: unknown }> {
    const wrapper = write(`wrapper-${count++}/vitest.config.mjs`, renderWrapperConfig({ userConfigPath, pluginPath: plugin }))
    const module = await import(pathToFileURL(wrapper).href)
    return module.default({ command: 'serve', mode: 'test' })
  }

  test('appends the plugin to an object config', async () => {
    const user = write('user-object.mjs', "export default { plugins: [{ name: 'mine' }], test: { setupFiles: ['./s.ts'] } }\n")
    expect(await loadWrapper(user)).toEqual({ plugins: [{ name: 'mine' }, { name: 'xtest' }], test: { setupFiles: ['./s.ts'] } })
  })

  test('calls a function config with the config env, and awaits a promise', async () => {
    const fn = write('user-fn.mjs', 'export default async (env) => ({ test: { name: env.mode } })\n')
    expect(await loadWrapper(fn)).toEqual({ test: { name: 'test' }, plugins: [{ name: 'xtest' }] })
    const promise = write('user-promise.mjs', 'export default Promise.resolve({ test: { name: "p" } })\n')
    expect(await loadWrapper(promise)).toEqual({ test: { name: 'p' }, plugins: [{ name: 'xtest' }] })
  })

  test('works without a user config, and insists on absolute paths', async () => {
    expect(await loadWrapper(null)).toEqual({ plugins: [{ name: 'xtest' }] })
    expect(() => renderWrapperConfig({ userConfigPath: 'vitest.config.ts', pluginPath: plugin })).toThrow(/absolute/)
  })
})
