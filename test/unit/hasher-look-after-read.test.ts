// Storing looks at a file's (or folder's) times after reading it, never before: a save that lands between a look and
// the read would otherwise store the saved bytes' hash for a test that ran on the old ones (a red test cached green
// once the save is kept). Simulated by saving at the instant the host opens the file (or lists the folder).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, expect, test, vi } from 'vitest'
import { RepoHasher } from '../../src/run/cache/file-hash.js'
import { hostProbe } from '../../src/run/cache/observed-inputs.js'

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-look-after-read-')))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
afterEach(() => vi.restoreAllMocks())
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test('a module saved as the host opens it is refused, not stored under the saved bytes', async () => {
  fs.writeFileSync(path.join(root, 'mod.ts'), 'export const ok = true\n')
  await sleep(30)
  const startedMs = Date.now()
  const open = fs.openSync
  let saved = false
  vi.spyOn(fs, 'openSync').mockImplementation((file, ...rest) => {
    if (!saved && file === path.join(root, 'mod.ts')) {
      saved = true
      fs.writeFileSync(path.join(root, 'mod.ts'), 'export const ok = false\n')
    }
    return open(file, ...(rest as [fs.OpenMode]))
  })
  const found = new RepoHasher(root, startedMs).hash('mod.ts')
  expect(saved).toBe(true)
  expect(found).toMatchObject({ ok: false, message: 'mod.ts changed while the run ran' })
})

test('a folder that gains a file as the host lists it is refused, not stored with the new listing', async () => {
  fs.mkdirSync(path.join(root, 'fixtures'))
  fs.writeFileSync(path.join(root, 'fixtures/a.json'), '{}')
  await sleep(30)
  const startedMs = Date.now()
  const readdir = fs.readdirSync
  let added = false
  vi.spyOn(fs, 'readdirSync').mockImplementation(((dir: fs.PathLike, ...rest: unknown[]) => {
    if (!added && dir === path.join(root, 'fixtures')) {
      added = true
      fs.writeFileSync(path.join(root, 'fixtures/b.json'), '{}')
    }
    return (readdir as (...args: unknown[]) => unknown)(dir, ...rest)
  }) as typeof fs.readdirSync)
  const probe = hostProbe(new RepoHasher(root, startedMs), {})
  const found = probe('list:fixtures')
  expect(added).toBe(true)
  expect(found).toMatchObject({ ok: false, message: 'fixtures changed while the run ran' })
})

test('unchanged since the start, both are stored', async () => {
  fs.mkdirSync(path.join(root, 'still'))
  fs.writeFileSync(path.join(root, 'still/x.ts'), 'export {}\n')
  await sleep(30)
  const hasher = new RepoHasher(root, Date.now())
  expect(hasher.hash('still/x.ts').ok).toBe(true)
  expect(hostProbe(hasher, {})('list:still').ok).toBe(true)
})
