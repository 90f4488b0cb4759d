import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { beforeAll, describe, expect, test } from 'vitest'
import { fixture, junitXsd, runXtest } from '../helpers/cli.js'
import { requireEngine } from '../helpers/docker.js'

// Against real images: a guard passes where the image has the module, skips with its reason where
// it does not, and fails where the container promises the module (provides) but its image lacks it.
describe('importOrSkip across real images', () => {
  const cwd = fixture('guards')
  const junit = () => fs.readFileSync(path.join(cwd, '.xtest/junit.xml'), 'utf8')

  beforeAll(async () => {
    await requireEngine()
    fs.rmSync(path.join(cwd, '.xtest'), { recursive: true, force: true })
  })

  test('passes in opt, skips with the reason in amp', async () => {
    const { exitCode, stderr } = await runXtest(['run', '--runtime', 'docker'], { cwd })
    expect(exitCode, stderr).toBe(0)
    const report = junit()
    expect(report).toMatch(/<testsuite name="opt\/fast\/optimizer\/solver\.test\.ts"[^>]* tests="1" failures="0" errors="0" skipped="0"/)
    expect(report).toMatch(
      /<testsuite name="amp\/fast\/optimizer\/solver\.test\.ts"[\s\S]*?<skipped message="missing module 'opt-solver' \(container amp\)"\/>/,
    )
  })

  test('skips with the reason in a local run, where no image keeps the promise', async () => {
    const { exitCode } = await runXtest(['run', '--runtime', 'local'], { cwd })
    expect(exitCode).toBe(0)
    expect(junit()).toContain(`<skipped message="missing module 'opt-solver' (container opt)"/>`)
  })

  test('fails, naming the container and the module, in an opt image built without it', async () => {
    const { exitCode, stdout } = await runXtest(['run', '--runtime', 'docker', '--config', 'xtest.broken.config.ts'], { cwd })
    expect(exitCode).toBe(1)
    expect(stdout).toContain("missing module 'opt-solver' in container opt, which lists 'opt-solver' in provides")
    expect(junit()).toMatch(/<testsuite name="opt\/fast\/optimizer\/solver\.test\.ts"[^>]* failures="1"/)
    const lint = await execa('xmllint', ['--noout', '--nonet', '--schema', junitXsd, path.join(cwd, '.xtest/junit.xml')], { reject: false })
    expect(lint.exitCode, lint.stderr).toBe(0)
  })
})
