import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import {
  createPlaceholder,
  findPackageVersion,
  getPackageName,
  isMissingModule,
  readLoaderSpecifier,
} from '../../src/vitest/missing-module.js'

const notFound = (message: string, code = 'ERR_MODULE_NOT_FOUND') => Object.assign(new Error(message), { code })

describe('getPackageName', () => {
  test('keeps the package part of a specifier', () => {
    expect(['opt-solver', 'opt-solver/sub/x.js', '@scope/pkg/deep', 'node:fs', './local.js', '/abs/x.js'].map(getPackageName)).toEqual([
      'opt-solver',
      'opt-solver',
      '@scope/pkg',
      null,
      null,
      null,
    ])
  })
})

describe('readLoaderSpecifier', () => {
  test('reads the module from a loader, as written or as Vite rewrote it', () => {
    expect(readLoaderSpecifier(() => import('node:path'))).toBe('node:path')
    expect(readLoaderSpecifier(new Function('return __vite_ssr_dynamic_import__("opt-solver")') as () => unknown)).toBe('opt-solver')
    const resolved = new Function('return __vite_ssr_dynamic_import__("/node_modules/.pnpm/x@1/node_modules/@s/opt/index.js")')
    expect(readLoaderSpecifier(resolved as () => unknown)).toBe('@s/opt')
    expect(readLoaderSpecifier(() => Promise.resolve(1))).toBeNull()
  })
})

describe('isMissingModule', () => {
  test('is true when the error names the module itself', () => {
    expect(isMissingModule(notFound("Cannot find package 'opt-solver' imported from /p/a.test.ts"), 'opt-solver')).toBe(true)
    expect(isMissingModule(notFound("Cannot find package 'opt-solver' imported from /p/a.test.ts"), 'opt-solver/sub')).toBe(true)
    expect(isMissingModule(notFound("Cannot find module 'opt-solver'\nRequire stack:\n- /p/a.js", 'MODULE_NOT_FOUND'), 'opt-solver')).toBe(
      true,
    )
  })

  test('is false for a missing import of the module, a throw while loading, or another code', () => {
    const nested = notFound("Cannot find package 'dep' imported from /p/node_modules/opt-solver/index.js")
    expect(isMissingModule(nested, 'opt-solver')).toBe(false)
    expect(isMissingModule(nested, null)).toBe(false)
    expect(isMissingModule(new Error("Cannot find package 'opt-solver'"), 'opt-solver')).toBe(false)
    expect(isMissingModule(new TypeError('boom'), 'opt-solver')).toBe(false)
    expect(isMissingModule(undefined, 'opt-solver')).toBe(false)
  })

  test('without a name, accepts a not-found raised outside node_modules', () => {
    expect(isMissingModule(notFound("Cannot find package 'x' imported from /p/a.test.ts"), null)).toBe(true)
  })
})

describe('findPackageVersion', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-version-'))
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))
  const write = (file: string, json: object) => {
    fs.mkdirSync(path.join(tmp, path.dirname(file)), { recursive: true })
    fs.writeFileSync(path.join(tmp, file), JSON.stringify(json))
  }

  test('reads the nearest package.json of that name above the resolved file, else node_modules from cwd up', () => {
    write('node_modules/opt/package.json', { name: 'opt', version: '1.2.3' })
    write('node_modules/opt/dist/package.json', { type: 'module' })
    write('app/node_modules/@s/p/package.json', { name: '@s/p', version: '0.1.0' })
    expect(findPackageVersion('opt', path.join(tmp, 'node_modules/opt/dist/index.js'))).toBe('1.2.3')
    expect(findPackageVersion('opt', null, path.join(tmp, 'app'))).toBe('1.2.3')
    expect(findPackageVersion('@s/p', null, path.join(tmp, 'app'))).toBe('0.1.0')
    expect(findPackageVersion('nope', null, path.join(tmp, 'app'))).toBeNull()
  })
})

describe('createPlaceholder', () => {
  test('survives property access, calls, new, await and string conversion', async () => {
    const missing = createPlaceholder('opt-solver')
    expect(typeof missing.deep.solve(1).more).toBe('function')
    expect(new missing.Model()).toBe(missing)
    expect(await missing.start()).toBe(missing)
    expect(`${missing}`).toBe('[missing module opt-solver]')
    expect([...missing]).toEqual([])
    missing.x = 1
  })
})
