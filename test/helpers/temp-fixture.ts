import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'
import { fixture, repoRoot } from './cli.js'

/**
 * For a test file: `copyFixture(name)` makes a temp copy of `fixtures/<name>` (without run folders) with the
 * repo's node_modules linked in, and every copy is removed after the file's tests.
 */
export function useTempFixtures(): (name: string) => string {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
  })
  return (name) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xtest-${name}-`))
    dirs.push(dir)
    // Without run folders, and without the node_modules (caches) that a run of the fixture in place leaves.
    const source = fixture(name)
    fs.cpSync(source, dir, {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}.xtest`) && path.relative(source, src) !== 'node_modules',
    })
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'))
    return dir
  }
}
