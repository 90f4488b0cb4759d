// Storing a run's results trusts no reading from before the run: a RepoHasher with `changedAfter` refuses every file
// and folder changed since, whether its content changed or only its times were put back (ctime moves regardless).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { RepoHasher } from '../../src/run/cache/file-hash.js'
import { hostProbe } from '../../src/run/cache/observed-inputs.js'
import { random } from '../helpers/random.js'

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-changed-after-')))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test('100 random trees × random edits after the start: exactly the edited files and folders are refused', async () => {
  const pick = random(2512)
  for (let round = 0; round < 100; round++) {
    const dir = path.join(root, `r${round}`)
    const names = Array.from({ length: 2 + pick(6) }, (_, i) => `d${i % 3}/f${i}.js`)
    for (const name of names) {
      fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true })
      fs.writeFileSync(path.join(dir, name), `export const v = ${round}\n`)
    }
    const before = new RepoHasher(dir)
    for (const name of names) expect(before.hash(name).ok).toBe(true) // hashed before the run: never trusted after
    await sleep(20)
    const startedMs = Date.now()
    const edited = new Set<string>()
    const folders = new Set<string>()
    await sleep(5)
    for (const name of names) {
      const kind = pick(4)
      const file = path.join(dir, name)
      if (kind === 0) continue
      const old = fs.statSync(file)
      if (kind === 1) fs.appendFileSync(file, '// edited\n')
      // Same length, and the times put back: only ctime tells.
      if (kind === 2) {
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\d/, 'x'))
        fs.utimesSync(file, old.atime, old.mtime)
      }
      if (kind === 3) fs.chmodSync(file, 0o600)
      edited.add(name)
      if (kind === 3 && pick(2) === 0) {
        fs.writeFileSync(path.join(dir, path.dirname(name), `new${round}.js`), '')
        folders.add(path.dirname(name))
      }
    }
    const after = new RepoHasher(dir, startedMs)
    const probe = hostProbe(after, {})
    for (const name of names) {
      const found = after.hash(name)
      expect(found.ok, `${round}: ${name}`).toBe(!edited.has(name))
      if (!found.ok) expect(found.message).toBe(`${name} changed while the run ran`)
      expect(probe(`read:${name}`).ok).toBe(!edited.has(name))
    }
    for (const folder of ['d0', 'd1', 'd2'].filter((each) => fs.existsSync(path.join(dir, each))))
      expect(probe(`list:${folder}`).ok, `${round}: ${folder}`).toBe(!folders.has(folder))
  }
}, 60_000)
