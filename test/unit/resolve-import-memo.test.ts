// One resolver answers many imports and looks at each path once (resolve-import.ts): over random trees and random
// specifiers, its answers are exactly those of a resolver made afresh for every single import.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { createResolver } from '../../src/plan/io/resolve-import.js'
import { random } from '../helpers/random.js'

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-resolve-memo-')))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const NAMES = ['a', 'b', 'index', 'x.js', 'y']
const EXTS = ['.ts', '.tsx', '.js', '.mjs', '.json', '']
const FOLDERS = ['', 'src', 'src/a', 'src/b', 'lib', 'src/a/deep']

test('300 random trees × 40 random imports: a shared resolver answers as a fresh one does', () => {
  const pick = random(4242)
  let resolved = 0
  for (let round = 0; round < 300; round++) {
    const dir = path.join(root, `r${round}`)
    fs.mkdirSync(dir)
    const written: string[] = []
    for (let i = 0; i < 3 + pick(12); i++) {
      const rel = path.posix.join(FOLDERS[pick(FOLDERS.length)]!, `${NAMES[pick(NAMES.length)]}${EXTS[pick(EXTS.length)]}`)
      written.push(rel)
      const file = path.join(dir, rel)
      // A name may already be a folder (and a folder's name a file): the tree is whatever the dice made.
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true })
        fs.writeFileSync(file, '')
      } catch {}
    }
    if (pick(3) === 0) {
      try {
        fs.writeFileSync(path.join(dir, 'src/a/package.json'), JSON.stringify({ main: pick(2) ? 'b.ts' : 'deep/' }))
      } catch {}
    }
    const shared = createResolver(dir)
    for (let i = 0; i < 40; i++) {
      const from = `${FOLDERS[pick(FOLDERS.length)]}/t.test.ts`.replace(/^\//, '')
      const up = ['./', '../', '../../', '/'][pick(4)]!
      // Two in three name a written file (its extension dropped or swapped, or its folder), the rest anything.
      const target = written[pick(written.length)]!
      const near = path.posix.relative(path.posix.dirname(from), target)
      const named = [near.replace(/\.[a-z]+$/, ''), near.replace(/\.ts$/, '.js'), path.posix.dirname(near), near][pick(4)]!
      const spec =
        pick(3) > 0
          ? named.startsWith('.')
            ? named
            : `./${named}`
          : `${up}${['', 'src/', 'a/', 'lib/'][pick(4)]}${NAMES[pick(NAMES.length)]}${['', '/', '.js', '.ts'][pick(4)]}`
      const answer = shared(spec, from)
      expect(answer, `round ${round}: '${spec}' from ${from}`).toEqual(createResolver(dir)(spec, from))
      if (answer.kind === 'files') resolved++
    }
  }
  // The dice make trees where imports resolve often enough to matter (about half of the 12,000).
  expect(resolved).toBeGreaterThan(4000)
}, 60_000)
