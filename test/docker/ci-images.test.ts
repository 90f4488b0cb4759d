// The GitHub recipe's image job and the parts' load step, run as docs/ci.md writes them on a real engine: the images
// are built once, saved, dropped from the engine (a fresh runner), loaded, and the part builds nothing.

import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { parse } from 'yaml'
import { repoRoot, runXtest } from '../helpers/cli.js'
import { copyFixtureIntoRepo, docker, FIXTURE_BASE_IMAGE, requireEngine, useLeftovers } from '../helpers/docker.js'

const doc = fs.readFileSync(path.join(repoRoot, 'docs/ci.md'), 'utf8')
const github = parse(/```yaml\n([\s\S]*?)```/.exec(doc)![1]!) as { jobs: Record<string, { steps: Array<Record<string, string>> }> }
const runOf = (job: string, pattern: RegExp) => github.jobs[job]!.steps.find((step) => pattern.test(String(step.run)))!.run!

const leftovers = useLeftovers()
let dir: string
let shim: string
let base: string
beforeAll(async () => {
  await requireEngine()
  dir = copyFixtureIntoRepo('monorepo', 'ci-images')
  // Images of this test alone, on a base tag of its own: other tests build the fixture's tags and use the shared base
  // tag, and this one removes, saves and loads what it names (a load re-tags, which another test must never see).
  const nonce = crypto.randomBytes(6).toString('hex')
  base = `xtest-node:ci-images-${nonce}`
  expect((await docker(['tag', FIXTURE_BASE_IMAGE, base])).exitCode).toBe(0)
  for (const dockerfile of ['docker/amp/Dockerfile', 'optimizer/Dockerfile']) {
    const file = path.join(dir, dockerfile)
    fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8').replaceAll(FIXTURE_BASE_IMAGE, base)}LABEL xtest.test.nonce="${nonce}"\n`)
  }
  // `npx xtest` of the recipe: the CLI of this checkout, first on PATH.
  shim = fs.mkdtempSync(path.join(dir, '.bin-'))
  fs.writeFileSync(path.join(shim, 'xtest'), `#!/bin/sh\nexec node ${JSON.stringify(path.join(repoRoot, 'dist/cli.js'))} "$@"\n`, {
    mode: 0o755,
  })
})
afterAll(async () => {
  const built = fs.existsSync(path.join(dir, 'images.txt')) ? fs.readFileSync(path.join(dir, 'images.txt'), 'utf8').split('\n') : []
  const ours = built.filter((image) => /^xtest-(amp|opt):/.test(image))
  if (ours.length) await docker(['rmi', '--force', ...ours])
  if (base) await docker(['rmi', base])
  fs.rmSync(dir, { recursive: true, force: true })
})

const step = (script: string) =>
  execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script.replace(/\bnpx xtest\b/g, 'xtest')], {
    cwd: dir,
    reject: false,
    env: { PATH: `${shim}:${process.env.PATH}`, CI: 'true', NO_COLOR: '1' },
  })

test('the image job saves every image a part needs; a part loads it and finds each one up to date', async () => {
  const saved = await step(runOf('images', /xtest build --images/))
  expect(saved.exitCode, `${saved.stdout}${saved.stderr}`).toBe(0)
  const images = fs.readFileSync(path.join(dir, 'images.txt'), 'utf8').trim().split('\n').sort()
  // Both built tags, and the FROM image they were built on (part of their hash: a part without it would rebuild).
  expect(images).toEqual([expect.stringMatching(/^xtest-amp:[0-9a-f]{16}$/), base, expect.stringMatching(/^xtest-opt:[0-9a-f]{16}$/)])
  expect(fs.statSync(path.join(dir, 'images.tar')).size).toBeGreaterThan(1000)

  // A fresh runner: neither the built images nor the base tag they were built on are on the engine (the base's image
  // stays, under the shared tag other tests use).
  expect((await docker(['rmi', ...images])).exitCode).toBe(0)
  const loaded = await step(runOf('test', /docker load/))
  expect(loaded.exitCode, `${loaded.stdout}${loaded.stderr}`).toBe(0)

  const check = await runXtest(['build'], { cwd: dir })
  expect(check.exitCode, check.stderr).toBe(0)
  expect(check.stdout.split('\n').map((line) => line.split('\t')[3])).toEqual(['up to date', 'up to date'])
  const run = await runXtest(['run', '--runtime', 'docker', '--container', 'amp'], { cwd: dir })
  leftovers.runDirOf(run.stderr, dir)
  expect(run.exitCode, run.stderr).toBe(0)
  expect(run.stderr).not.toContain('built image')
}, 300_000)
