// An image built FROM a base the engine did not have is whatever that build found or pulled: a later run whose base is
// still missing must build again, never take the earlier image of the same hash as up to date (CI once ran a Node 24
// half on a Node 20 image that way, while another job re-tagged the shared base).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import type { ContainerConfig } from '../../src/config/schema.js'
import { ensureImage } from '../../src/runtimes/docker-image.js'
import type { EngineClient } from '../../src/runtimes/engine-client.js'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-base-missing-'))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
fs.mkdirSync(path.join(root, 'img'))
fs.writeFileSync(path.join(root, 'img/Dockerfile'), 'FROM xtest-base:maybe\nRUN true\n')

function fakeEngine(baseId: string | null) {
  const built: string[] = []
  const engine = {
    endpoint: 'fake://',
    // Every xtest-app tag is "on the engine" already: only the base decides whether it may be reused.
    inspectImage: async (name: string) => (name === 'xtest-base:maybe' ? (baseId ? { Id: baseId } : null) : { Id: `sha256:${name}` }),
    tagImage: async () => {},
    buildImage: async (context: NodeJS.ReadableStream, options: { tag: string }) => {
      for await (const _ of context);
      built.push(options.tag)
    },
  } as unknown as EngineClient
  return { engine, built }
}

const container = { build: { context: 'img' } } as unknown as ContainerConfig

test('with its base on the engine, an image of the same hash is up to date; with the base missing, it is built', async () => {
  const present = fakeEngine('sha256:base')
  const found = await ensureImage(present.engine, 'app', container, root, path.join(root, 'build.log'))
  expect(found.built).toBe(false)
  expect(present.built).toEqual([])
  const missing = fakeEngine(null)
  const again = await ensureImage(missing.engine, 'app', container, root, path.join(root, 'build.log'))
  expect(again.built).toBe(true)
  expect(missing.built).toEqual([again.image])
})
