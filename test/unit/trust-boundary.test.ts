// The host's side of the trust boundary, without an engine: reading what a shard left (links, FIFOs,
// floods), the exchange folder's life, and which repository a shard gets to see.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { readRegularFile, writeFreshFile } from '../../src/core/safe-fs.js'
import { findRepoRoot } from '../../src/run/repo-root.js'
import { findProtected, repoMounts } from '../../src/runtimes/repo-mounts.js'
import * as exchangeModule from '../../src/runtimes/shard-exchange.js'
import { createShardExchange } from '../../src/runtimes/shard-exchange.js'

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-boundary-')))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))
const make = (rel: string, text = '') => {
  const file = path.join(tmp, rel)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
  return file
}

describe('reading a file a shard could have replaced', () => {
  test('a regular file is read; a link, a FIFO, a folder and an oversized file are refused without blocking', () => {
    const secret = make('host/secret', 'TOPSECRET')
    const dir = path.join(tmp, 'out1')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, 'ok.xml'), '<testsuites/>')
    fs.symlinkSync(secret, path.join(dir, 'link.xml'))
    execFileSync('mkfifo', [path.join(dir, 'fifo.xml')])
    fs.mkdirSync(path.join(dir, 'folder.xml'))
    fs.writeFileSync(path.join(dir, 'big.xml'), Buffer.alloc(2048))
    expect(readRegularFile(path.join(dir, 'ok.xml'), 1024)).toEqual({ ok: true, value: Buffer.from('<testsuites/>') })
    expect(readRegularFile(path.join(dir, 'link.xml'), 1024)).toMatchObject({ ok: false, kind: 'not-a-file' })
    expect(readRegularFile(path.join(dir, 'fifo.xml'), 1024)).toMatchObject({ ok: false, kind: 'not-a-file' })
    expect(readRegularFile(path.join(dir, 'folder.xml'), 1024)).toMatchObject({ ok: false, kind: 'not-a-file' })
    expect(readRegularFile(path.join(dir, 'big.xml'), 1024)).toMatchObject({ ok: false, kind: 'too-large' })
    expect(readRegularFile(path.join(dir, 'none.xml'), 1024)).toMatchObject({ ok: false, kind: 'missing' })
  })

  test('writing over a planted link replaces the link; the host file it named is untouched', () => {
    const rc = make('host/rc', '# rc\n')
    const dir = path.join(tmp, 'out2')
    fs.mkdirSync(dir)
    fs.symlinkSync(rc, path.join(dir, 'shard.json'))
    writeFreshFile(path.join(dir, 'shard.json'), '{"files":["t/$(touch pwned).test.ts"]}')
    expect(fs.readFileSync(rc, 'utf8')).toBe('# rc\n')
    expect(fs.lstatSync(path.join(dir, 'shard.json')).isFile()).toBe(true)
  })
})

describe('the exchange folder', () => {
  test("an empty, read-only folder hides the output folder (a tmpfs would not: Podman copies a mount point's content up)", () => {
    const exchange = createShardExchange('amp.slow')
    expect(fs.readdirSync(exchange.emptyDir)).toEqual([])
    expect(fs.statSync(exchange.emptyDir).mode & 0o777).toBe(0o555)
    exchange.dispose()
  })

  test('results come out as copies of regular files; links and FIFOs are refused with a note; the folder is gone after', () => {
    const secret = make('host/secret2', 'TOPSECRET')
    const exchange = createShardExchange('amp.fast')
    expect(exchange.dir.startsWith(os.tmpdir())).toBe(true)
    expect(fs.statSync(exchange.dir).mode & 0o777).toBe(0o700)
    fs.symlinkSync(secret, path.join(exchange.outDir, 'junit.xml'))
    execFileSync('mkfifo', [path.join(exchange.outDir, 'progress.ndjson')])
    const shardDir = path.join(tmp, 'run/amp.fast')
    const notes = exchange.collect(shardDir)
    expect(notes).toEqual(["refused the shard's junit.xml is a symbolic link", "refused the shard's progress.ndjson is not a regular file"])
    expect(fs.existsSync(path.join(shardDir, 'junit.xml'))).toBe(false)
    // A folder the shard locked (mode 000) does not keep its exchange folder alive.
    fs.mkdirSync(path.join(exchange.outDir, 'locked/deeper'), { recursive: true })
    fs.chmodSync(path.join(exchange.outDir, 'locked'), 0)
    exchange.dispose()
    expect(fs.existsSync(exchange.dir)).toBe(false)
    expect(fs.readFileSync(secret, 'utf8')).toBe('TOPSECRET')
  })

  test('xtest clean removes the exchange folders of a dead xtest, and only those', () => {
    const tmpdir = path.join(tmp, 'tmpdir')
    fs.mkdirSync(tmpdir)
    for (const name of [
      'xtest-4000001-amp.fast-AbC123',
      'xtest-4000002-opt.slow.2-xYz789',
      'xtest-4000001-notes',
      'other-4000001-amp.fast-AbC123',
    ]) {
      fs.mkdirSync(path.join(tmpdir, name, 'out'), { recursive: true })
    }
    fs.symlinkSync(tmpdir, path.join(tmpdir, 'xtest-4000003-amp.fast-Link12'))
    const alive = new Set([4000002])
    const { removeOrphanExchanges } = exchangeModule
    expect(removeOrphanExchanges((pid) => alive.has(pid), tmpdir)).toBe(1)
    expect(fs.readdirSync(tmpdir).sort()).toEqual([
      'other-4000001-amp.fast-AbC123',
      'xtest-4000001-notes',
      'xtest-4000002-opt.slow.2-xYz789',
      'xtest-4000003-amp.fast-Link12',
    ])
  })

  test('a shard id that is not one path segment is refused', () => {
    expect(() => createShardExchange('../../.git/hooks')).toThrow(/unsafe shard id/)
  })
})

describe('which repository a shard sees', () => {
  const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'ignore' })

  const commit = (dir: string) => {
    git(dir, 'add', '-A')
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x')
  }

  test('a project inside an unrelated repository (dotfiles in the home folder) mounts only its own repository', () => {
    const home = path.join(tmp, 'home')
    make('home/.ssh/id_ed25519', 'PRIVATE KEY')
    make('home/code/app/packages/a/package.json', '{}')
    git(home, 'init', '-q')
    git(path.join(home, 'code/app'), 'init', '-q')
    git(path.join(home, 'code/app'), 'add', '-A')
    expect(findRepoRoot(path.join(home, 'code/app'))).toBe(path.join(home, 'code/app'))
    expect(findRepoRoot(path.join(home, 'code/app/packages'))).toBe(path.join(home, 'code/app'))
  })

  test('a project without .git in a dotfiles home that does not track it: the project folder alone, never the home', () => {
    const home = path.join(tmp, 'dotfiles')
    make('dotfiles/.bashrc', 'echo hi\n')
    make('dotfiles/.ssh/id_ed25519', 'PRIVATE KEY')
    make('dotfiles/proj/package.json', '{}')
    make('dotfiles/deep/er/proj/package.json', '{}')
    git(home, 'init', '-q')
    git(home, 'add', '.bashrc')
    git(home, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'dotfiles')
    expect(findRepoRoot(path.join(home, 'proj'))).toBe(path.join(home, 'proj'))
    expect(findRepoRoot(path.join(home, 'deep/er/proj'))).toBe(path.join(home, 'deep/er/proj'))
    // Once the repository tracks the project, it is the project's repository.
    git(home, 'add', 'proj')
    expect(findRepoRoot(path.join(home, 'proj'))).toBe(home)
  })

  test('a scratch copy in an ignored folder of a tracked folder belongs to the repository', () => {
    const repo = path.join(tmp, 'tracked')
    make('tracked/fixtures/a/package.json', '{}')
    make('tracked/.gitignore', 'fixtures/.tmp-*/\n')
    git(repo, 'init', '-q')
    commit(repo)
    make('tracked/fixtures/.tmp-a/package.json', '{}')
    expect(findRepoRoot(path.join(repo, 'fixtures/.tmp-a'))).toBe(repo)
  })

  test('a project in a submodule mounts the top of its submodule chain', () => {
    const lib = path.join(tmp, 'lib-src')
    make('lib-src/src/a.ts', 'export {}\n')
    git(lib, 'init', '-q')
    commit(lib)
    const top = path.join(tmp, 'super')
    make('super/README', 'x')
    git(top, 'init', '-q')
    git(top, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib, 'libs/inner')
    commit(top)
    expect(findRepoRoot(path.join(top, 'libs/inner/src'))).toBe(top)
    // A worktree's .git file points into .git/worktrees/: that is a repository of its own.
    git(top, 'worktree', 'add', '-q', path.join(tmp, 'wt'))
    expect(findRepoRoot(path.join(tmp, 'wt'))).toBe(path.join(tmp, 'wt'))
  })

  test('outside git, the project folder itself', () => {
    fs.mkdirSync(path.join(tmp, 'plain/sub'), { recursive: true })
    expect(findRepoRoot(path.join(tmp, 'plain/sub'))).toBe(path.join(tmp, 'plain/sub'))
  })
})

describe('how a shard container sees the repository', () => {
  const repo = path.join(tmp, 'mounts')
  for (const dir of ['.git/hooks', 'node_modules/x', 'packages/a/node_modules/y', 'packages/a/src', '.xtest/runs', 'snapshots']) {
    fs.mkdirSync(path.join(repo, dir), { recursive: true })
  }
  fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(repo, 'packages/linked'))

  test('locally: writable, but .git and every node_modules read-only, .xtest hidden', () => {
    expect(findProtected(repo).sort()).toEqual([
      path.join(repo, '.git'),
      path.join(repo, 'node_modules'),
      path.join(repo, 'packages/a/node_modules'),
    ])
    const mounts = repoMounts({ repoRoot: repo, outputDir: path.join(repo, '.xtest'), readOnly: false, writable: [], emptyDir: '/x/empty' })
    expect(mounts.binds.sort()).toEqual(
      [
        `${repo}/.git:/app/.git:ro`,
        `${repo}/node_modules:/app/node_modules:ro`,
        `${repo}/packages/a/node_modules:/app/packages/a/node_modules:ro`,
        `${repo}:/app`,
        '/x/empty:/app/.xtest:ro',
      ].sort(),
    )
  })

  test('in CI: read-only, with the declared writable folders only', () => {
    const mounts = repoMounts({
      repoRoot: repo,
      outputDir: path.join(repo, '.xtest'),
      readOnly: true,
      writable: [path.join(repo, 'snapshots')],
      emptyDir: '/x/empty',
    })
    expect(mounts.binds).toEqual([`${repo}:/app:ro`, `${repo}/snapshots:/app/snapshots`, '/x/empty:/app/.xtest:ro'])
  })
})

describe('what stays read-only inside writable folders', () => {
  const repo = path.join(tmp, 'protect')
  for (const file of [
    'package.json',
    'snaps/package.json',
    'snaps/.envrc',
    'snaps/.husky/pre-commit',
    'snaps/xtest.config.ts',
    'snaps/a.snap',
  ])
    make(`protect/${file}`, '{}')
  make('protect/hooks/pre-push', '#!/bin/sh\n')

  test('package.json, .envrc, .husky and xtest configs, and the extra protected paths, inside a writable folder are bound read-only', () => {
    const mounts = repoMounts({
      repoRoot: repo,
      outputDir: path.join(repo, '.xtest'),
      readOnly: true,
      writable: [path.join(repo, 'snaps'), path.join(repo, 'hooks')],
      protect: [path.join(repo, 'hooks'), path.join(repo, 'elsewhere.mjs')],
      scratch: [path.join(repo, '.vitest')],
      scratchDir: '/x/out/.vitest',
      emptyDir: '/x/empty',
    })
    expect(mounts.binds.sort()).toEqual(
      [
        `${repo}:/app:ro`,
        `${repo}/snaps:/app/snaps`,
        `${repo}/hooks:/app/hooks`,
        `${repo}/hooks:/app/hooks:ro`,
        `${repo}/snaps/package.json:/app/snaps/package.json:ro`,
        `${repo}/snaps/.envrc:/app/snaps/.envrc:ro`,
        `${repo}/snaps/.husky:/app/snaps/.husky:ro`,
        `${repo}/snaps/xtest.config.ts:/app/snaps/xtest.config.ts:ro`,
        `/x/out/.vitest:/app/.vitest`,
        '/x/empty:/app/.xtest:ro',
      ].sort(),
    )
  })
})
