// Shared by test/docker/*.test.ts: the real engine (never mocked, never skipped), run folders, merged JUnit, leftovers.

import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { execa, type ResultPromise } from 'execa'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeEach, expect } from 'vitest'
import { cliPath, hostEnvWithoutCi, repoRoot } from './cli.js'

/**
 * The base image of the docker tests: XTEST_BASE_IMAGE, else `xtest-node:<major of the Node running the tests>`
 * (built by scripts/build-base-image.sh). Shards run the repository's node_modules in it, so its Node must be the
 * one they were installed for: on .ci/run's second half that is Node 24 with Vitest 5, on the first Node 20.
 */
export const BASE_IMAGE = process.env.XTEST_BASE_IMAGE || `xtest-node:${process.versions.node.split('.')[0]}`
/** The name the fixtures' configs and Dockerfiles use (`FROM xtest-node:test`); requireEngine points it at BASE_IMAGE. */
export const FIXTURE_BASE_IMAGE = 'xtest-node:test'
export const PODMAN_SOCKET = '/run/podman/podman.sock'
export const PODMAN_HOST = `unix://${PODMAN_SOCKET}`

/** The docker CLI against DOCKER_HOST (or `host`); never rejects. */
export async function docker(args: string[], options: { host?: string; timeout?: number } = {}) {
  const env = options.host ? { DOCKER_HOST: options.host } : {}
  const result = await execa('docker', args, { env, reject: false, timeout: options.timeout ?? 30_000 })
  return { stdout: String(result.stdout ?? '').trim(), stderr: String(result.stderr ?? '').trim(), exitCode: result.exitCode ?? -1 }
}

/**
 * For a `beforeAll`: the docker tests never skip. When the engine does not answer, the base image is missing or
 * xtest is not built, they fail here with the reason and the fix.
 */
export async function requireEngine(host?: string): Promise<void> {
  const where = host ?? process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'
  if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` before the docker tests`)
  const version = await docker(['version', '--format', '{{.Server.Version}}'], { host, timeout: 15_000 })
  if (version.exitCode !== 0 || !version.stdout) {
    throw new Error(
      `the container engine at ${where} is unreachable: the docker tests need it (start it with .ci/engine.sh).\n${version.stderr}`,
    )
  }
  const base = await docker(['image', 'inspect', '--format', '{{.Id}} {{range .Config.Env}}{{println .}}{{end}}', BASE_IMAGE], { host })
  const build = `scripts/build-base-image.sh ${host === PODMAN_HOST ? 'podman' : 'docker'} ${process.execPath}`
  if (base.exitCode !== 0) throw new Error(`the base image ${BASE_IMAGE} is missing on ${where}: build it with ${build}\n${base.stderr}`)
  const imageNode = /^NODE_VERSION=(\d+)\./m.exec(base.stdout)?.[1]
  const ourNode = process.versions.node.split('.')[0]
  if (imageNode !== ourNode) {
    throw new Error(
      `the base image ${BASE_IMAGE} has Node ${imageNode ?? '(unknown)'}, the tests run on Node ${ourNode}: set XTEST_BASE_IMAGE or build it with ${build}`,
    )
  }
  const tagged = await docker(['tag', BASE_IMAGE, FIXTURE_BASE_IMAGE], { host })
  if (tagged.exitCode !== 0) throw new Error(`could not tag ${BASE_IMAGE} as ${FIXTURE_BASE_IMAGE} on ${where}: ${tagged.stderr}`)
}

/** Id of an image on the engine, or null. */
export async function imageId(image: string, host?: string): Promise<string | null> {
  const result = await docker(['image', 'inspect', '--format', '{{.Id}}', image], { host })
  return result.exitCode === 0 ? result.stdout : null
}

/** Containers (any state) carrying this label filter, e.g. `xtest.run=<id>`; one line `<id> <name>` each. */
export async function containersWith(label: string, options: { host?: string; running?: boolean } = {}): Promise<string[]> {
  const args = ['ps', '--no-trunc', '--format', '{{.ID}} {{.Label "xtest.run"}} {{.Status}}', '--filter', `label=${label}`]
  if (!options.running) args.push('-a')
  else args.push('--filter', 'status=running')
  const result = await docker(args, { host: options.host })
  if (result.exitCode !== 0) throw new Error(`docker ps failed: ${result.stderr}`)
  return result.stdout ? result.stdout.split('\n') : []
}

/** Polls `check` every `everyMs` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

/**
 * A Leftovers for the calling test file (or describe block), with its hooks: a failing test keeps the run folders to
 * look at; after all tests, no container of the file's runs may be left on the engine at `host`.
 */
export function useLeftovers(host?: string): Leftovers {
  const leftovers = new Leftovers()
  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      leftovers.failed = true
    }),
  )
  afterAll(async () => {
    await leftovers.expectNoLeftovers(host)
    leftovers.removeRunFolders()
  })
  return leftovers
}

/**
 * What one test file started: run folders (from xtest's stderr) and xtest pids. `expectNoLeftovers` asserts that no
 * container of theirs is left on the engine, whatever its state; `removeRunFolders` tidies up after a green file.
 */
export class Leftovers {
  readonly runIds = new Set<string>()
  readonly pids = new Set<number>()
  private readonly runDirs = new Set<string>()
  failed = false

  /** The run folder named on xtest's stderr (`... (run folder .xtest/runs/<id>)`), as an absolute path. */
  runDirOf(stderr: string, cwd: string): string {
    const match = stderr.match(/\(run folder (.+?)\)\s*$/m)
    if (!match) throw new Error(`no run folder on xtest's stderr:\n${stderr}`)
    const dir = path.resolve(cwd, match[1]!)
    this.track(dir)
    return dir
  }

  track(runDir: string): void {
    this.runDirs.add(runDir)
    this.runIds.add(path.basename(runDir))
  }

  /** Fails when a container of these runs is left (any state); removes them first, so one failure does not leak into the next file. */
  async expectNoLeftovers(host?: string): Promise<void> {
    if (this.runIds.size === 0 && this.pids.size === 0) return // nothing started (e.g. requireEngine failed)
    const all = await containersWith('xtest.run', { host })
    const ours = all.filter((line) => this.runIds.has(line.split(' ')[1] ?? ''))
    const byPid = (await Promise.all([...this.pids].map((pid) => containersWith(`xtest.pid=${pid}`, { host })))).flat()
    const left = [...new Set([...ours, ...byPid])]
    if (left.length) await docker(['rm', '-f', '-v', ...left.map((line) => line.split(' ')[0]!)], { host })
    expect(left, "containers left behind by this file's xtest runs").toEqual([])
  }

  /** Removes the run folders this file made, unless one of its tests failed (then they are kept to look at). */
  removeRunFolders(): void {
    if (this.failed || process.env.XTEST_KEEP_RUNS) return
    for (const dir of this.runDirs) fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** The built CLI as a child process we can signal; like runXtest, in plain-output mode. */
export function spawnXtest(args: string[], options: { cwd: string; env?: Record<string, string> }): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    env: { ...hostEnvWithoutCi(), NO_COLOR: '1', CI: 'true', ...options.env },
    extendEnv: false,
    reject: false,
  }) as ResultPromise<{ reject: false }>
}

export interface ShardJson {
  id: string
  container: string
  tier: string
  files: string[]
  runtime: 'docker' | 'local'
  image?: string
  imageId?: string
  exitCode: number | null
  signal?: string | null
  ended?: string
  cause?: string
  durationMs: number
}

export const readShard = (runDir: string, shardId: string): ShardJson =>
  JSON.parse(fs.readFileSync(path.join(runDir, shardId, 'shard.json'), 'utf8')) as ShardJson

/** Shard folders of a run (`<container>.<tier>[.<slice>]`), sorted. */
export const shardDirs = (runDir: string): string[] =>
  fs
    .readdirSync(runDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()

interface MergedCase {
  suite: string
  classname: string
  name: string
  status: 'passed' | 'failed' | 'error' | 'skipped'
  type?: string
  message?: string
}

export interface MergedReport {
  name: string
  tests: number
  failures: number
  errors: number
  suites: { name: string; properties: Record<string, string> }[]
  cases: MergedCase[]
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])

/** A merged (or shard) JUnit file: suites with their properties, and every testcase with its status. */
export function readMergedJunit(file: string): MergedReport {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', textNodeName: 'text', processEntities: true })
  const doc = parser.parse(fs.readFileSync(file, 'utf8'))
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const root = doc.testsuites as any
  const suites = asArray<any>(root?.testsuite)
  return {
    name: String(root?.name ?? ''),
    tests: Number(root?.tests),
    failures: Number(root?.failures),
    errors: Number(root?.errors),
    suites: suites.map((s) => ({
      name: String(s.name),
      properties: Object.fromEntries(asArray<any>(s.properties?.property).map((p) => [p.name, String(p.value)])),
    })),
    cases: suites.flatMap((s) =>
      asArray<any>(s.testcase).map((c): MergedCase => {
        const problem = c.error ?? c.failure ?? c.skipped
        const status = c.error !== undefined ? 'error' : c.failure !== undefined ? 'failed' : c.skipped !== undefined ? 'skipped' : 'passed'
        return {
          suite: String(s.name),
          classname: String(c.classname),
          name: String(c.name),
          status,
          type: problem?.type,
          message: typeof problem === 'object' ? problem?.message : undefined,
        }
      }),
    ),
  }
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

/** A copy of a fixture inside the repository (so it is under the /app mount), removed by the caller. */
export function copyFixtureIntoRepo(name: string, prefix: string): string {
  const dir = path.join(repoRoot, 'fixtures', `.tmp-${prefix}-${crypto.randomBytes(3).toString('hex')}`)
  fs.cpSync(path.join(repoRoot, 'fixtures', name), dir, { recursive: true, filter: (src) => !src.split(path.sep).includes('.xtest') })
  return dir
}

export interface TestUser {
  name: string
  uid: number
  gid: number
  home: string
}

/**
 * A non-root user allowed to use the engine, for the file-ownership test. As root: creates `name` if missing and
 * adds it to the group owning the engine's socket. As anyone else: that user is the invoking user already.
 */
export async function ensureEngineUser(name = 'xtestuser'): Promise<TestUser | null> {
  if (process.getuid?.() !== 0) return null
  const exists = await execa('id', ['-u', name], { reject: false })
  if (exists.exitCode !== 0) await execa('useradd', ['-m', '-s', '/bin/sh', name])
  const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'
  if (host.startsWith('unix://')) {
    const socket = fs.statSync(new URL(host).pathname)
    if (socket.gid === 0 && (socket.mode & 0o006) !== 0o006) {
      throw new Error(`the engine socket ${host} belongs to group root: a non-root user cannot use it (give it a docker group)`)
    }
    if (socket.gid !== 0) await execa('usermod', ['-aG', String(socket.gid), name])
  }
  // A checkout inside a private folder (`mktemp -d` makes it 0700) would hide xtest from the user: let it pass through.
  for (let dir = path.dirname(cliPath); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode
    if ((mode & 0o001) === 0) fs.chmodSync(dir, mode | 0o001)
  }
  const uid = Number((await execa('id', ['-u', name])).stdout)
  const gid = Number((await execa('id', ['-g', name])).stdout)
  const home = (await execa('getent', ['passwd', name])).stdout.split(':')[5] ?? '/tmp'
  return { name, uid, gid, home }
}

/** `xtest ...` as `user` (runuser sets its groups, so the engine socket's group applies), or as ourselves. */
export async function runXtestAs(
  user: TestUser | null,
  args: string[],
  options: { cwd: string; timeout?: number; env?: Record<string, string> },
) {
  const env = { NO_COLOR: '1', CI: 'true', ...(user ? { HOME: user.home, USER: user.name, LOGNAME: user.name } : {}), ...options.env }
  const [file, argv] = user
    ? ['runuser', ['-u', user.name, '--', process.execPath, cliPath, ...args]]
    : [process.execPath, [cliPath, ...args]]
  const result = await execa(file, argv as string[], { cwd: options.cwd, env, reject: false, timeout: options.timeout ?? 120_000 })
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 }
}
