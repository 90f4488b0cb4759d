// The README's install-before-release lines, run as written: a clone of this repository built and packed, and the
// tarball installed into a fresh project, whose `xtest` then answers. Only the clone's address is replaced.

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, expect, test } from 'vitest'
import { repoRoot } from '../helpers/cli.js'

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-install-'))
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

/** The shell block after the `<!-- install-from-clone -->` marker in README.md. */
function readmeInstallLines(): string {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8')
  const block = /<!-- install-from-clone -->\n```sh\n([\s\S]*?)```/.exec(readme)
  if (!block) throw new Error('README.md has no install-from-clone block')
  return block[1]!
}

test("the README's install-from-a-clone lines install a working xtest", { timeout: 300_000 }, async () => {
  const script = readmeInstallLines()
  expect(script).toContain('<url of this repository>')
  const project = path.join(work, 'project')
  fs.mkdirSync(project)
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'demo', private: true, type: 'module' }))
  // Run from the project folder, as a user would; the clone lands beside it.
  const run = await execa('bash', ['-euo', 'pipefail', '-c', script.replaceAll('<url of this repository>', repoRoot)], {
    cwd: project,
    all: true,
    reject: false,
    // From npm's cache where it can (CI installed the same packages just before); the registry otherwise.
    env: { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  })
  expect(run.exitCode, run.all).toBe(0)
  const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version as string
  const help = await execa('npx', ['--no-install', 'xtest', '--version'], { cwd: project, reject: false })
  expect([help.exitCode, help.stdout.trim()]).toEqual([0, expect.stringContaining(version)])
  expect(fs.existsSync(path.join(project, 'node_modules/vitest-xtest/dist/cli.js'))).toBe(true)
})
