// Git repositories for the --changed tests: files written, committed, and a node_modules of their own (xtest's
// packages linked in one by one, so a test can add a workspace package; or hard-linked, so that on the local
// runtime every module a test loads lies inside the repository and its result can be cached).

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll } from 'vitest'
import { fixture, repoRoot } from './cli.js'

const GIT_ENV = { GIT_AUTHOR_NAME: 'x', GIT_AUTHOR_EMAIL: 'x@example.com', GIT_COMMITTER_NAME: 'x', GIT_COMMITTER_EMAIL: 'x@example.com' }
export const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd, env: GIT_ENV })
const modules = fs.realpathSync(path.join(repoRoot, 'node_modules'))

/** Writes files (relative path → text; null deletes) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string | null>): void {
  for (const [file, text] of Object.entries(files)) {
    const target = path.join(dir, file)
    if (text === null) fs.rmSync(target, { force: true })
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true })
      fs.writeFileSync(target, text)
    }
  }
}

/** node_modules for `dir`: each of xtest's packages linked (`link`) or the whole tree hard-linked (`hard`). */
export function addNodeModules(dir: string, how: 'link' | 'hard'): void {
  const target = path.join(dir, 'node_modules')
  fs.mkdirSync(target, { recursive: true })
  // Not the caches (.cache, .vite, .vitest-cache): what a test writes there stays its own.
  for (const name of fs.readdirSync(modules)) {
    if (name.startsWith('.') && name !== '.bin') continue
    if (how === 'link') fs.symlinkSync(path.join(modules, name), path.join(target, name))
    else hardLink(path.join(modules, name), path.join(target, name))
  }
}

function hardLink(from: string, to: string): void {
  if (!fs.lstatSync(from).isDirectory()) {
    if (fs.lstatSync(from).isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to)
    else fs.linkSync(from, to)
    return
  }
  fs.mkdirSync(to, { recursive: true })
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const [source, dest] = [path.join(from, entry.name), path.join(to, entry.name)]
    if (entry.isDirectory()) hardLink(source, dest)
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), dest)
    else fs.linkSync(source, dest)
  }
}

/** `makeRepo(files)`: a committed git repository, removed after the file's tests; `modules: 'hard'` puts it in fixtures/. */
export function useGitRepos(): (files: Record<string, string>, options?: { modules?: 'link' | 'hard' }) => Promise<string> {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 })
  })
  return async (files, options = {}) => {
    // Hard links need the same file system as node_modules: the checkout's (gitignored) fixtures/.tmp-* then.
    const parent = options.modules === 'hard' ? fixture('') : os.tmpdir()
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(parent, '.tmp-changed-')))
    dirs.push(dir)
    writeFiles(dir, { '.gitignore': 'node_modules\n.xtest\n.vitest\n.cache\n', ...files })
    addNodeModules(dir, options.modules ?? 'link')
    await git(dir, 'init', '-q')
    await git(dir, 'add', '-A')
    await git(dir, 'commit', '-qm', 'initial')
    return dir
  }
}
