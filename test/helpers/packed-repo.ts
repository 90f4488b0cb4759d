// xtest as a user gets it: `npm pack` of the current build, installed from the tarball (with the repo's Vitest)
// into a fresh git repo holding a copy of a fixture. Packs with --ignore-scripts: `prepack` would rebuild dist/
// (rm -rf first) under the tests running beside this one.

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { fixture, repoRoot } from './cli.js'

export interface PackedRepo {
  repo: string
  /** The installed Vitest's version (the repo's own: 4.1 on the Node 20 half of .ci/run, 5 on the Node 24 half). */
  vitestVersion: string
  /** What `npm install <tarball> vitest@<version>` printed (stdout and stderr), without any flag. */
  installLog: string
  /** `npx --no-install xtest ...args` in the repo, CI=true, never rejects. */
  xtest(args: string[], env?: Record<string, string>): Promise<{ exitCode?: number | undefined; stdout: string; stderr: string }>
  remove(): void
}

export async function createPackedRepo(fixtureName: string): Promise<PackedRepo> {
  if (!fs.existsSync(path.join(repoRoot, 'dist/cli.js'))) throw new Error('dist/ is missing: run `npm run build` first')
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-pack-'))
  // A shard run as nobody (xtest run as root) must be able to reach the mounted repo.
  fs.chmodSync(work, 0o755)
  const repo = path.join(work, 'repo')
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: repoRoot })
  const tarball = path.join(work, packed.stdout.trim().split('\n').at(-1)!)
  fs.cpSync(fixture(fixtureName), repo, { recursive: true, filter: (src) => !src.includes(`${path.sep}.xtest`) })
  fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'demo', private: true, type: 'module' }))
  await execa('git', ['init', '-q'], { cwd: repo })
  const vitest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/vitest/package.json'), 'utf8')).version
  // No --legacy-peer-deps or --force: the peer ranges must let a user install it as it is (Vitest 5 brings vite as a peer).
  const install = await execa('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `vitest@${vitest}`], {
    cwd: repo,
    all: true,
  })
  return {
    repo,
    vitestVersion: vitest,
    installLog: install.all ?? '',
    xtest: (args, env = {}) =>
      execa('npx', ['--no-install', 'xtest', ...args], { cwd: repo, reject: false, env: { CI: 'true', NO_COLOR: '1', ...env } }),
    remove: () => fs.rmSync(work, { recursive: true, force: true }),
  }
}
