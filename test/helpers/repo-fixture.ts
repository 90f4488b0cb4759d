import fs from 'node:fs'
import path from 'node:path'
import { afterAll } from 'vitest'
import { fixture } from './cli.js'

/**
 * For a test file: `copyInRepo(name)` copies `fixtures/<name>` to `fixtures/.tmp-<name>-<random>/` (gitignored), so
 * that its `vitest-xtest/config` import still resolves to this package and its `.xtest/` is the test's own.
 */
export function useRepoFixtures(): (name: string) => string {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 })
  })
  return (name) => {
    const dir = fs.mkdtempSync(path.join(fixture(''), `.tmp-${name}-`))
    dirs.push(dir)
    fs.cpSync(fixture(name), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.xtest`) })
    return dir
  }
}
