// The result cache's store with the real CLI: `cache clean` removes only what xtest wrote, a cache folder that is a
// link is refused, and with XTEST_CACHE_SECRET a forged entry (a pass claimed for a file that now fails) is ignored
// with one warning: the file runs and the run fails.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { useRepoFixtures } from '../helpers/repo-fixture.js'

const copy = useRepoFixtures()
const made: string[] = []
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})
const temp = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}
const SECRET = crypto.randomBytes(32).toString('hex')

async function run(cwd: string, env: Record<string, string>) {
  const result = await runXtest(['run', '--runtime', 'local'], { cwd, env: { XTEST_CACHE: 'on', ...env } })
  const runDir = path.join(cwd, /\(run folder (.+?)\)\s*$/m.exec(result.stderr)![1]!.replace(/^.*?\.xtest/, '.xtest'))
  const shard = path.join(runDir, 'host.fast', 'shard.json')
  const ran = fs.existsSync(shard) ? (JSON.parse(fs.readFileSync(shard, 'utf8')) as { files: string[] }).files : []
  return { ...result, ran, warnings: result.stderr.split('\n').filter((line) => line.includes('result cache ignored')) }
}

const entries = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith('.result'))

test('cache clean removes the entries and leaves foreign files, folders and links (and what they point at)', async () => {
  const cwd = copy('cache-store')
  const cacheDir = temp('xtest-cache-clean-')
  const env = { XTEST_CACHE_DIR: cacheDir }
  expect((await run(cwd, env)).exitCode).toBe(0)
  expect(entries(cacheDir)).toHaveLength(2)
  const outside = path.join(temp('xtest-cache-outside-'), 'precious.txt')
  fs.writeFileSync(outside, 'keep')
  fs.writeFileSync(path.join(cacheDir, 'notes.txt'), 'mine')
  fs.mkdirSync(path.join(cacheDir, 'mine'))
  fs.writeFileSync(path.join(cacheDir, 'mine', 'a.json'), '{}')
  fs.symlinkSync(outside, path.join(cacheDir, 'outside'))
  fs.symlinkSync(path.dirname(outside), path.join(cacheDir, 'outside-folder'))
  const clean = await runXtest(['cache', 'clean'], { cwd, env })
  expect(clean.exitCode, clean.stderr).toBe(0)
  expect(clean.stdout).toBe(`removed 2 entr(ies) from ${cacheDir} (files xtest did not write stay)`)
  expect(fs.readdirSync(cacheDir).sort()).toEqual(['mine', 'notes.txt', 'outside', 'outside-folder'])
  expect(fs.readdirSync(path.join(cacheDir, 'mine'))).toEqual(['a.json'])
  expect(fs.readFileSync(outside, 'utf8')).toBe('keep')
  // Nothing cached any more: both files run.
  expect((await run(cwd, env)).ran).toEqual(['one.test.js', 'two.test.js'])
}, 120_000)

test('a cache folder that is a link is refused: clean says so in one line, a run warns once and runs everything', async () => {
  const cwd = copy('cache-store')
  const target = temp('xtest-cache-target-')
  const link = path.join(temp('xtest-cache-link-'), 'cache')
  fs.symlinkSync(target, link)
  fs.writeFileSync(path.join(target, 'precious.txt'), 'keep')
  const env = { XTEST_CACHE_DIR: link }
  const clean = await runXtest(['cache', 'clean'], { cwd, env })
  expect(clean.exitCode).toBe(2)
  expect(clean.stderr.trim().split('\n')).toEqual([
    `xtest: the result cache folder ${link} is a symbolic link: xtest does not use it (point XTEST_CACHE_DIR at a folder of your own)`,
  ])
  for (let i = 0; i < 2; i++) {
    const result = await run(cwd, env)
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.ran).toEqual(['one.test.js', 'two.test.js'])
    expect(result.stderr.split('\n').filter((line) => line.includes('is a symbolic link'))).toHaveLength(1)
  }
  expect(fs.readdirSync(target)).toEqual(['precious.txt'])
}, 120_000)

test('with XTEST_CACHE_SECRET a forged entry claiming a pass is ignored with one warning: the file runs and fails', async () => {
  const cwd = copy('cache-store')
  const cacheDir = temp('xtest-cache-secret-')
  const signed = { XTEST_CACHE_DIR: cacheDir, XTEST_CACHE_SECRET: SECRET }
  const first = await run(cwd, signed)
  expect(first.exitCode, first.stderr).toBe(0)
  expect(first.ran).toEqual(['one.test.js', 'two.test.js'])
  const again = await run(cwd, signed)
  expect(again.ran).toEqual([])
  expect(again.warnings).toEqual([])

  // A failing change; then the entries are forged so that the stored pass claims the new bytes of two.test.js.
  const failing = "import { expect, test } from 'vitest'\n\ntest('two', () => {\n  expect(2 + 2).toBe(5)\n})\n"
  fs.writeFileSync(path.join(cwd, 'two.test.js'), failing)
  const newHash = crypto.createHash('sha256').update(failing).digest('hex').slice(0, 32)
  const forge = (tag: (header: string) => string) => {
    for (const name of entries(cacheDir)) {
      const file = path.join(cacheDir, name)
      const text = fs.readFileSync(file, 'utf8')
      const newline = text.indexOf('\n')
      const entry = JSON.parse(text.slice(newline + 1)) as { modules: Record<string, string> }
      for (const rel of Object.keys(entry.modules)) if (rel.endsWith('/two.test.js')) entry.modules[rel] = newHash
      fs.writeFileSync(file, `${tag(text.slice(0, newline))}\n${JSON.stringify(entry)}`)
    }
  }
  const unsigned = () => 'xtest-result-cache 2 unsigned'
  const wrongTag = () => `xtest-result-cache 2 ${crypto.randomBytes(32).toString('hex')}`
  const staleTag = (header: string) => header
  forge(unsigned)
  // Without the secret the forgery works: the failing file is taken from the cache and the run is green.
  const fooled = await run(cwd, { XTEST_CACHE_DIR: cacheDir })
  expect(fooled.exitCode).toBe(0)
  expect(fooled.ran).toEqual([])
  // Unsigned, or a made-up tag: both entries are ignored. The tag the entry had before the edit: only the forged one.
  for (const [tag, ran, ignored] of [
    [unsigned, ['one.test.js', 'two.test.js'], '2 entries'],
    [wrongTag, ['one.test.js', 'two.test.js'], '2 entries'],
    [staleTag, ['two.test.js'], '1 entry'],
  ] as const) {
    forge(tag)
    const result = await run(cwd, signed)
    expect(result.exitCode, result.stdout).toBe(1)
    expect(result.ran).toEqual(ran)
    expect(result.warnings).toEqual([
      `xtest: warning: the result cache ignored ${ignored} without a valid XTEST_CACHE_SECRET signature in ${cacheDir} (their files ran; passing ones are stored again)`,
    ])
  }
  // one.test.js passed again and was stored signed; two.test.js fails and is never stored.
  const after = await run(cwd, signed)
  expect(after.exitCode).toBe(1)
  expect(after.ran).toEqual(['two.test.js'])
}, 180_000)
