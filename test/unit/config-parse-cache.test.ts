import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { execa } from 'execa'
import { afterAll, describe, expect, test } from 'vitest'
import { loadConfig } from '../../src/config/load.js'
import { isPlainJson } from '../../src/config/parse-cache.js'
import { ConfigError } from '../../src/core/errors.js'
import { repoRoot } from '../helpers/cli.js'

// The parse cache lets an unchanged config skip zod. It must never hide a change: only the cache's own hits
// and misses are tested here; what a config means is config.test.ts's job.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-parse-cache-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function project(name: string, config: unknown, withNodeModules = true): string {
  const dir = path.join(tmp, name)
  fs.mkdirSync(path.join(dir, withNodeModules ? 'node_modules' : ''), { recursive: true })
  fs.writeFileSync(path.join(dir, 'xtest.config.json'), JSON.stringify(config))
  return dir
}

const cacheFiles = (dir: string) => {
  const where = path.join(dir, 'node_modules/.cache/xtest')
  return fs.existsSync(where) ? fs.readdirSync(where).map((name) => path.join(where, name)) : []
}

describe('config parse cache', () => {
  test('a valid config is stored in node_modules/.cache/xtest, and the next load reads it from there', async () => {
    const dir = project('hit', { containers: { amp: { image: 'amp:1' } } })
    const first = await loadConfig({ cwd: dir })
    const [file] = cacheFiles(dir)
    expect(file).toMatch(/config-[0-9a-f]{16}\.json$/)
    // Proof of a hit: an entry edited behind xtest's back is what the next load returns.
    const entry = JSON.parse(fs.readFileSync(file!, 'utf8'))
    entry.parsed.outputDir = 'from-the-cache'
    fs.writeFileSync(file!, JSON.stringify(entry))
    const second = await loadConfig({ cwd: dir })
    expect(second.outputDir).toBe('from-the-cache')
    expect({ ...second, outputDir: first.outputDir }).toEqual(first)
  })

  test('a changed config misses: a new error is reported, never masked by the old entry', async () => {
    const dir = project('change', { containers: { amp: { image: 'amp:1' } } })
    await loadConfig({ cwd: dir })
    fs.writeFileSync(path.join(dir, 'xtest.config.json'), JSON.stringify({ containers: { amp: { image: 'amp:1', workDir: 'x' } } }))
    await expect(loadConfig({ cwd: dir })).rejects.toThrow(ConfigError)
    await expect(loadConfig({ cwd: dir })).rejects.toThrow("containers.amp: unknown key 'workDir'")
    fs.writeFileSync(path.join(dir, 'xtest.config.json'), JSON.stringify({ containers: { amp: { image: 'amp:2' } } }))
    expect((await loadConfig({ cwd: dir })).containers.amp!.image).toBe('amp:2')
  })

  test('an invalid config is never stored', async () => {
    const dir = project('invalid', { containers: {} })
    await expect(loadConfig({ cwd: dir })).rejects.toThrow('at least one container')
    expect(cacheFiles(dir)).toEqual([])
  })

  test('a broken or foreign cache file is a miss, and gets replaced', async () => {
    const dir = project('broken', { containers: { amp: { image: 'amp:1' } } })
    await loadConfig({ cwd: dir })
    const [file] = cacheFiles(dir)
    fs.writeFileSync(file!, '{"key": "not this one", "parsed": {"containers": {}}}')
    expect((await loadConfig({ cwd: dir })).containers.amp!.image).toBe('amp:1')
    fs.writeFileSync(file!, '{ half a file')
    expect((await loadConfig({ cwd: dir })).containers.amp!.image).toBe('amp:1')
    expect(JSON.parse(fs.readFileSync(file!, 'utf8')).parsed.containers.amp.image).toBe('amp:1')
  })

  test('an entry that is a link or a FIFO, or a cache folder every user may write, is never read (a FIFO never waited on)', async () => {
    const dir = project('planted', { containers: { amp: { image: 'amp:1' } } })
    await loadConfig({ cwd: dir })
    const [file] = cacheFiles(dir)
    const forged = JSON.parse(fs.readFileSync(file!, 'utf8'))
    forged.parsed.outputDir = 'planted'
    fs.writeFileSync(`${file}.elsewhere`, JSON.stringify(forged))
    fs.rmSync(file!)
    fs.symlinkSync(`${file}.elsewhere`, file!)
    expect((await loadConfig({ cwd: dir })).outputDir).not.toBe('planted')
    fs.rmSync(file!)
    fs.renameSync(`${file}.elsewhere`, file!)
    fs.chmodSync(path.dirname(file!), 0o777)
    expect((await loadConfig({ cwd: dir })).outputDir).not.toBe('planted')
    fs.chmodSync(path.dirname(file!), 0o755)
    expect((await loadConfig({ cwd: dir })).outputDir).toBe('planted')
    fs.rmSync(file!)
    await execa('mkfifo', [file!])
    // A FIFO nobody writes would block a plain read forever: a child with a deadline loads the config.
    const load = pathToFileURL(path.join(repoRoot, 'dist/config/load.js')).href
    const script = `const { loadConfig } = await import(${JSON.stringify(load)}); console.log((await loadConfig({ cwd: ${JSON.stringify(dir)} })).outputDir)`
    const child = await execa('node', ['--input-type=module', '-e', script], { timeout: 20_000, reject: false })
    expect(child.timedOut).toBe(false)
    expect(child.stdout.trim()).toBe('.xtest')
  })

  test('without a node_modules above the config, or where the cache cannot be written, loading still works', async () => {
    const bare = project('no-node-modules', { containers: { amp: { image: 'amp:1' } } }, false)
    // The temp folder may sit below some node_modules; only assert that the project itself stays clean.
    expect((await loadConfig({ cwd: bare })).containers.amp!.image).toBe('amp:1')
    expect(fs.existsSync(path.join(bare, 'node_modules'))).toBe(false)
    const readOnly = project('read-only', { containers: { amp: { image: 'amp:1' } } })
    fs.writeFileSync(path.join(readOnly, 'node_modules/.cache'), 'a file where the folder should be')
    expect((await loadConfig({ cwd: readOnly })).containers.amp!.image).toBe('amp:1')
  })

  test('configs from JavaScript are cached only when they are plain JSON data', async () => {
    const dir = path.join(tmp, 'js')
    fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true })
    fs.writeFileSync(path.join(dir, 'xtest.config.mjs'), "export default { containers: { amp: { image: 'amp:1', cpus: undefined } } }\n")
    expect((await loadConfig({ cwd: dir })).containers.amp!.image).toBe('amp:1')
    expect(cacheFiles(dir)).toEqual([])
  })
})

describe('isPlainJson', () => {
  class Box {
    value = 1
  }
  test.each([
    [{ a: [1, 'x', true, null, { b: [] }] }, true],
    [Object.assign(Object.create(null), { a: 1 }), true],
    [{ a: undefined }, false],
    [{ a: () => 1 }, false],
    [{ a: new Date(0) }, false],
    [{ a: /x/ }, false],
    [{ a: new Box() }, false],
    [{ a: Number.NaN }, false],
    [{ a: 1n }, false],
    [{ [Symbol('s')]: 1 }, false],
    // biome-ignore lint/suspicious/noSparseArray: a hole is the case under test
    [[1, , 3], false],
  ])('%o → %s', (value, plain) => {
    expect(isPlainJson(value)).toBe(plain)
  })
})
