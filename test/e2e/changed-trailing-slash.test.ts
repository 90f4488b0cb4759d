// A test that imports its library as '../src/' (a folder with a trailing slash, as real libraries do) was recorded as
// importing src//index.ts: never cached (the path is refused), and not selected by --changed when src/index.ts
// changed. Both through the real CLI on the local runtime.
import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import { useGitRepos } from '../helpers/changed-repo.js'
import { runXtest } from '../helpers/cli.js'

const makeRepo = useGitRepos()

test("'../src/' is cached on the second run and selected by --changed when src/index.ts changes", async () => {
  const dir = await makeRepo(
    {
      'xtest.config.json': JSON.stringify({ containers: { host: { runtime: 'local' } } }),
      'vitest.config.mjs': 'export default { test: {} }\n',
      'src/index.ts': 'export const one = 1\n',
      'test/lib.test.ts': "import { expect, test } from 'vitest'\nimport { one } from '../src/'\ntest('one', () => expect(one).toBe(1))\n",
      'test/other.test.ts': "import { expect, test } from 'vitest'\ntest('other', () => expect(2).toBe(2))\n",
    },
    { modules: 'hard' },
  )
  const env = { XTEST_CACHE: 'on', XTEST_CACHE_DIR: path.join(dir, '.cache') }
  const first = await runXtest(['run', '--runtime', 'local'], { cwd: dir, env })
  expect(first.exitCode, first.stdout + first.stderr).toBe(0)
  const files = await runXtest(['plan', '--files'], { cwd: dir, env })
  expect(files.stdout).toMatch(/test\/lib\.test\.ts\s.*cached \(run /)
  const second = await runXtest(['run', '--runtime', 'local'], { cwd: dir, env })
  expect(second.stderr).toContain('result cache: 2 of 2 file(s) taken from the cache')

  fs.appendFileSync(path.join(dir, 'src/index.ts'), 'export const two = 2\n')
  const plan = await runXtest(['plan', '--changed', '--json'], { cwd: dir, env })
  expect(plan.exitCode, plan.stderr).toBe(0)
  const selected = (JSON.parse(plan.stdout) as { changed: { selected: Record<string, string> } }).changed.selected
  expect(selected).toEqual({ 'test/lib.test.ts': expect.stringContaining('src/index.ts') })
}, 180_000)

test('a file whose import the scan cannot follow is selected, and xtest plan --changed says where', async () => {
  const dir = await makeRepo({
    'xtest.config.json': JSON.stringify({ containers: { host: { runtime: 'local' } } }),
    'vitest.config.mjs': 'export default { test: {} }\n',
    'src/a.ts': 'export const a = 1\n',
    'test/dyn.test.ts': "import { test } from 'vitest'\nconst name = '../src/a.js'\ntest('dyn', async () => { await import(name) })\n",
    'test/plain.test.ts': "import { test } from 'vitest'\ntest('plain', () => {})\n",
  })
  fs.appendFileSync(path.join(dir, 'src/a.ts'), 'export const b = 2\n')
  const plan = await runXtest(['plan', '--changed', '--json'], { cwd: dir })
  expect(plan.exitCode, plan.stderr).toBe(0)
  expect((JSON.parse(plan.stdout) as { changed: { selected: Record<string, string> } }).changed.selected).toEqual({
    'test/dyn.test.ts': 'the resolver could not follow an import: import() with a computed name at test/dyn.test.ts:3',
  })
  expect(plan.stderr).toContain(
    'select 1 of 2 test files (the resolver could not follow an import: import() with a computed name at test/dyn.test.ts:3)',
  )
}, 60_000)
