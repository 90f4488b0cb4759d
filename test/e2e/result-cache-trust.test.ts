// The result cache's trust model (docs/cache.md): a shard's module list is advisory data. A shard that lists too
// little gets no stale pass beyond what its own test code could fake anyway (a module it hides is like a file it
// reads with fs): the host adds the test file and its relative imports itself. A list naming a path outside the
// repository, or one that climbs out of it, makes the file uncacheable: it runs every time.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { useRepoFixtures } from '../helpers/repo-fixture.js'

const copy = useRepoFixtures()
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-cache-trust-'))
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }))

async function run(cwd: string) {
  const result = await runXtest(['run', '--runtime', 'local'], { cwd, env: { XTEST_CACHE: 'on', XTEST_CACHE_DIR: cacheDir } })
  const runDir = path.join(cwd, /\(run folder (.+?)\)\s*$/m.exec(result.stderr)![1]!.replace(/^.*?\.xtest/, '.xtest'))
  const shard = path.join(runDir, 'host.fast', 'shard.json')
  const ran = fs.existsSync(shard) ? (JSON.parse(fs.readFileSync(shard, 'utf8')) as { files: string[] }).files : []
  return { ...result, ran }
}

test('a lying shard: hidden modules are what its test code could fake; outside paths are never cached', async () => {
  const cwd = copy('cache-hostile')
  const first = await run(cwd)
  expect(first.exitCode, first.stdout + first.stderr).toBe(0)
  expect(first.ran).toEqual(['climbs.test.js', 'lies.test.js', 'outside.test.js'])
  // Only the liar was stored: the others named paths outside the repository.
  const second = await run(cwd)
  expect(second.ran).toEqual(['climbs.test.js', 'outside.test.js'])
  // A module it imports statically: the host reads the import itself, so the lie does not hide it.
  fs.appendFileSync(path.join(cwd, 'lib/seen.js'), '// changed\n')
  expect((await run(cwd)).ran).toEqual(['climbs.test.js', 'lies.test.js', 'outside.test.js'])
  // A module it loaded by a computed import() and then erased from the record: stale, as a file read with fs would be.
  fs.appendFileSync(path.join(cwd, 'lib/hidden.js'), '// changed\n')
  expect((await run(cwd)).ran).toEqual(['climbs.test.js', 'outside.test.js'])
}, 120_000)

test('docs/ci.md: the cache recipes (actions/cache, GitLab cache) parse and keep the folder xtest uses', async () => {
  const { parse } = await import('yaml')
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/ci.md'), 'utf8')
  const section = doc.slice(doc.indexOf('## Keeping the result cache between CI runs'), doc.indexOf('## GitHub Actions'))
  const blocks = [...section.matchAll(/```yml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as unknown)
  expect(blocks).toHaveLength(2)
  expect(JSON.stringify(blocks[0])).toContain('"path":"node_modules/.cache/xtest/results"')
  expect(JSON.stringify(blocks[1])).toContain('"paths":["node_modules/.cache/xtest/results"]')
})
