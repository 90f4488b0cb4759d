// --changed: changes no import names select conservatively (all files of the containers they affect), and say why.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { ResolvedConfig } from '../../src/config/resolve.js'
import { findChangeTriggers } from '../../src/plan/io/changed.js'

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-triggers-')))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
const write = (file: string, text = '') => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
  fs.writeFileSync(path.join(root, file), text)
}
write(
  'web/vitest.config.ts',
  "import shared from './vitest.shared'\nexport default { ...shared, test: { setupFiles: ['./test/setup.ts'], globalSetup: 'global.ts' } }",
)
write('web/vitest.shared.ts', 'export default {}')
write('web/test/setup.ts', "import './matchers.js'")
write('web/test/matchers.ts')
write('web/global.ts')
write('api/src/a.ts')
const config = {
  root,
  configPath: path.join(root, 'xtest.config.json'),
  containers: { web: { workdir: 'web' }, api: { workdir: 'api' } },
} as unknown as ResolvedConfig
const why = (changed: string[]) => Object.fromEntries(findChangeTriggers(config, changed).containers)

describe('changes no import names', () => {
  test('a lockfile, tsconfig or .env at the root selects every container; in a workdir, only that one', () => {
    expect(Object.keys(why(['package-lock.json']))).toEqual(['web', 'api'])
    expect(Object.keys(why(['tsconfig.base.json']))).toEqual(['web', 'api'])
    expect(why(['api/.env.test'])).toEqual({ api: 'api/.env.test changed (no import names it: all files of the container)' })
    expect(Object.keys(why(['web/src/__snapshots__/a.test.ts.snap']))).toEqual(['web'])
    expect(why(['api/src/a.ts', 'README.md', 'web/tsconfig.json/x.ts'])).toEqual({})
  })

  test('a setup file the Vitest config names, or a file it imports, selects its container', () => {
    expect(why(['web/test/setup.ts'])).toEqual({
      web: 'web/test/setup.ts changed (named by the Vitest config, or imported by a file it names)',
    })
    expect(Object.keys(why(['web/test/matchers.ts']))).toEqual(['web'])
    expect(Object.keys(why(['web/global.ts']))).toEqual(['web'])
    expect(Object.keys(why(['web/vitest.shared.ts']))).toEqual(['web'])
  })

  test('package.json and a Vitest config select everything, as in Vitest', () => {
    expect(findChangeTriggers(config, ['api/package.json']).all).toBe('api/package.json changed (reruns everything, as in Vitest)')
    expect(findChangeTriggers(config, ['web/vitest.config.ts']).all).toContain('web/vitest.config.ts')
  })
})
