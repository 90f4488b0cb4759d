// Which parts of the repository a Docker shard may write: read-only by default in CI and locally, the declared
// writable folders (paths or globs), snapshot folders only while Vitest updates snapshots, never the config's code.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { resolveConfig } from '../../src/config/resolve.js'
import { repoMountsOf, updatesSnapshots } from '../../src/run/shard-specs.js'

const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-mounts-of-')))
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }))
for (const [file, text] of Object.entries({
  'xtest.config.mjs': "import { base } from './lib/base.mjs'\nexport default {}\n",
  'lib/base.mjs': "export { more } from './more.mjs'\nexport const base = 'x'\n",
  'lib/more.mjs': 'export const more = 1\n',
  'pkg/a/__snapshots__/a.test.ts.snap': '',
  'pkg/b/__snapshots__/b.test.ts.snap': '',
})) {
  fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true })
  fs.writeFileSync(path.join(repo, file), text)
}
const config = (container: object) =>
  resolveConfig({ containers: { app: { image: 'node:20', ...container } } }, repo, path.join(repo, 'xtest.config.mjs'))

test('read-only by default, in CI and locally alike; writable only by opting in', () => {
  for (const env of [{ CI: 'true' }, {}]) {
    const c = config({})
    expect(repoMountsOf(c.containers.app!, c, repo, env)).toMatchObject({ readOnly: true, writable: [] })
  }
  const opted = config({ repo: 'writable' })
  expect(repoMountsOf(opted.containers.app!, opted, repo, {}).readOnly).toBe(false)
})

test('writable entries: a folder (made if missing) or a glob of existing folders', () => {
  const c = config({ writable: ['out', 'pkg/*/__snapshots__'] })
  const mounts = repoMountsOf(c.containers.app!, c, repo, {})
  expect(mounts.writable.sort()).toEqual([
    path.join(repo, 'out'),
    path.join(repo, 'pkg/a/__snapshots__'),
    path.join(repo, 'pkg/b/__snapshots__'),
  ])
  expect(fs.statSync(path.join(repo, 'out')).isDirectory()).toBe(true)
})

test('snapshot folders of the shard files are writable only while Vitest updates snapshots', () => {
  const c = config({})
  const files = ['pkg/a/a.test.ts', 'pkg/c/c.test.ts']
  expect(repoMountsOf(c.containers.app!, c, repo, {}, { vitestArgs: [], files }).writable).toEqual([])
  expect(repoMountsOf(c.containers.app!, c, repo, {}, { vitestArgs: ['-u'], files }).writable).toEqual([
    path.join(repo, 'pkg/a/__snapshots__'),
    path.join(repo, 'pkg/c/__snapshots__'),
  ])
  expect(updatesSnapshots(['--update'])).toBe(true)
  expect(updatesSnapshots(['--update=false'])).toBe(false)
  expect(updatesSnapshots(['--reporter=dot'])).toBe(false)
})

test('the xtest config and every file it imports are protected; Vitest 5 output gets a scratch folder', () => {
  const c = config({})
  const mounts = repoMountsOf(c.containers.app!, c, repo, {})
  expect(mounts.protect).toEqual(
    expect.arrayContaining([path.join(repo, 'xtest.config.mjs'), path.join(repo, 'lib/base.mjs'), path.join(repo, 'lib/more.mjs')]),
  )
  expect(mounts.scratch).toEqual([path.join(repo, '.vitest')])
})
