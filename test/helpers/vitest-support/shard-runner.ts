// Shared by test/e2e/vitest-*.test.ts: copies a fixture into a temp project and runs real Vitest shards in it,
// set up as docs/internals.md says (wrapper config, XTEST_* environment), with xtest's built dist/.

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { afterAll } from 'vitest'

export { type ParsedJUnit, readJUnitFile } from './read-junit.js'

import type { Tier } from '../../../src/core/tiers.js'
import { findVitestConfig, installedVitestMajor, searchesParentFolders } from '../../../src/plan/vitest-config.js'
import { chooseConfigLoader, vitestArgv, writeWrapperConfig } from '../../../src/runtimes/vitest-command.js'
import { junitXsd, packageName } from '../cli.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const vitestEntry = path.join(repoRoot, 'node_modules/vitest/vitest.mjs')
const pluginPath = path.join(repoRoot, 'dist/vitest/index.js')

/** Installed packages of the temp project: name → files (path → content). */
export type FakeModules = Record<string, Record<string, string>>

const madeProjects: string[] = []

/** Removes every project `makeProject` made (call in afterAll). */
export function removeProjects(): void {
  for (const dir of madeProjects.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

/** For a test file: its `makeProject`, every project it made removed after the file's tests. */
export function useProjects(): typeof makeProject {
  afterAll(removeProjects)
  return makeProject
}

/** A temp copy of `fixtures/<name>` with node_modules holding vitest and xtest (links) and the given modules. */
export function makeProject(name: string, modules: FakeModules = {}): string {
  if (!fs.existsSync(pluginPath)) throw new Error(`${pluginPath} is missing: run npm run build first`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xtest-${name}-`))
  madeProjects.push(dir)
  fs.cpSync(path.join(repoRoot, 'fixtures', name), dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `fixture-${name}`, type: 'module', private: true }))
  fs.mkdirSync(path.join(dir, 'node_modules'))
  fs.symlinkSync(path.join(repoRoot, 'node_modules/vitest'), path.join(dir, 'node_modules/vitest'))
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules', packageName))
  for (const [module, files] of Object.entries(modules)) {
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(dir, 'node_modules', module, file)
      fs.mkdirSync(path.dirname(target), { recursive: true })
      fs.writeFileSync(target, content)
    }
  }
  return dir
}

/** An ESM package for `makeProject`. */
export function esmPackage(name: string, version: string, code: string): Record<string, string> {
  return { 'package.json': JSON.stringify({ name, version, type: 'module', exports: './index.js' }), 'index.js': code }
}

export interface ShardOptions {
  container: string
  tier: Tier
  files: string[]
  provides?: string[]
  tierTags?: Record<string, { timeout: number }>
  userArgs?: string[]
  env?: Record<string, string>
  /** Run with the project's node_modules mounted read-only (as in a Docker shard), in a mount namespace of its own (root only). */
  readOnlyNodeModules?: boolean
}

export interface ShardRun {
  exitCode: number
  stdout: string
  stderr: string
  shardDir: string
  junitPath: string
}

/** Runs one shard: `node vitest.mjs run --config <wrapper> …` in `project` with the XTEST_* environment. */
export async function runShard(project: string, options: ShardOptions): Promise<ShardRun> {
  const shard = `${options.container}.${options.tier}`
  const shardDir = path.join(project, '.xtest/runs/test-run', shard)
  fs.mkdirSync(shardDir, { recursive: true })
  const filesPath = path.join(shardDir, 'files.json')
  fs.writeFileSync(filesPath, JSON.stringify(options.files))
  const wrapperPath = path.join(shardDir, 'vitest.config.mjs')
  const userConfig = findVitestConfig(project, project, searchesParentFolders(installedVitestMajor(project)))
  writeWrapperConfig(wrapperPath, { userConfigPath: userConfig, pluginPath })
  const argv = vitestArgv({
    vitestEntry,
    wrapperPath,
    configLoader: chooseConfigLoader(userConfig),
    tier: options.tier,
    userArgs: options.userArgs ?? [],
  })
  const readOnly = options.readOnlyNodeModules ? path.join(project, 'node_modules') : undefined
  const result = await runNode(
    project,
    argv,
    {
      XTEST_RUN_ID: 'test-run',
      XTEST_CONTAINER: options.container,
      XTEST_TIER: options.tier,
      XTEST_SHARD: shard,
      XTEST_IMAGE: 'img:1',
      XTEST_IMAGE_ID: '',
      XTEST_SHARD_DIR: shardDir,
      XTEST_FILES: filesPath,
      XTEST_PROVIDES: (options.provides ?? []).join(','),
      XTEST_TIER_TAGS: JSON.stringify(options.tierTags ?? {}),
      ...options.env,
    },
    readOnly,
  )
  return { ...result, shardDir, junitPath: path.join(shardDir, 'junit.xml') }
}

/** Plain `vitest run` in the project, no xtest around it. */
export async function runPlainVitest(project: string, args: string[]): Promise<Omit<ShardRun, 'shardDir' | 'junitPath'>> {
  return runNode(project, [vitestEntry, 'run', ...args], {})
}

async function runNode(cwd: string, argv: string[], env: Record<string, string>, readOnlyDir?: string) {
  // A clean environment: the outer Vitest's VITEST_* variables must not leak into the inner one.
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), NO_COLOR: '1', CI: 'true' }
  const remount = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && exec node "$@"'
  const [file, args] = readOnlyDir ? ['unshare', ['-m', 'sh', '-c', remount, readOnlyDir, ...argv]] : ['node', argv]
  const result = await execa(file, args as string[], { cwd, env: { ...base, ...env }, extendEnv: false, reject: false, timeout: 120_000 })
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/** `xmllint --schema junit-10.xsd`: the validator's output when invalid, '' when valid. */
export async function schemaErrors(file: string): Promise<string> {
  const result = await execa('xmllint', ['--noout', '--nonet', '--schema', junitXsd, file], { reject: false })
  return result.exitCode === 0 ? '' : `${result.stderr}`
}
