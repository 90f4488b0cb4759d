import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ResolvedConfig } from '../../src/config/resolve.js'
import { findChangeTriggers } from '../../src/plan/io/changed.js'
import { listBuildContext } from '../../src/runtimes/build-context.js'
import { readDockerignore } from '../../src/shared/dockerignore.js'

// One .dockerignore reader: what the image hash covers (listBuildContext) is exactly what reruns a container's
// tests under --changed (findChangeTriggers).
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-dockerignore-'))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

function write(files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), text)
  }
}

write({
  'docker/Dockerfile': 'FROM scratch\n',
  // Ignores itself and the Dockerfile too: Docker still sends both (it needs them).
  'docker/.dockerignore': '*.log\nsecret/\n!keep.log\n.dockerignore\nDockerfile\n',
  'docker/app.js': '',
  'docker/a.log': '',
  'docker/keep.log': '',
  'docker/secret/key': '',
  'docker/sub/b.log': '',
  'docker/sub/c.js': '',
})
const build = { context: 'docker', args: {} }
const config = {
  root,
  configPath: path.join(root, 'xtest.config.ts'),
  containers: { img: { build, workdir: '.' } },
} as unknown as ResolvedConfig

describe('readDockerignore', () => {
  it('answers with Docker rules: patterns, negation, ignored folders; the .dockerignore itself is always sent', () => {
    const filter = readDockerignore(path.join(root, 'docker'))
    expect(filter.present).toBe(true)
    const sent = ['app.js', 'a.log', 'keep.log', 'secret/key', 'sub/b.log', 'sub/c.js', '.dockerignore'].filter(filter.sends)
    expect(sent).toEqual(['app.js', 'keep.log', 'sub/b.log', 'sub/c.js', '.dockerignore'])
  })
  it('sends everything when the context has none', () => {
    const filter = readDockerignore(root)
    expect(filter.present).toBe(false)
    expect(filter.sends('any/file.log')).toBe(true)
  })
})

describe('build context and --changed agree', () => {
  it('a changed file reruns the container exactly when it is part of the image hash', () => {
    const context = listBuildContext(root, build)
    expect(context.files).toEqual(['app.js', 'keep.log', 'sub/b.log', 'sub/c.js', 'Dockerfile', '.dockerignore'])
    for (const file of ['app.js', 'a.log', 'keep.log', 'secret/key', 'sub/b.log', 'sub/c.js', 'Dockerfile', '.dockerignore']) {
      const triggered = findChangeTriggers(config, [`docker/${file}`]).containers.has('img')
      expect({ file, triggered }).toEqual({ file, triggered: context.files.includes(file) })
    }
  })
})
