// The changed files for `--changed`, from git, bounded in time: the planner itself never runs processes.

import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import micromatch from 'micromatch'
import type { ResolvedConfig } from '../../config/resolve.js'
import { ConfigError, InfraError, UsageError } from '../../core/errors.js'
import { readDockerignore } from '../../shared/dockerignore.js'
import { formatDuration } from '../../shared/duration.js'
import type { ChangeTriggers } from '../affected.js'
import { tokenize } from '../scan-source.js'
import { findVitestConfig } from '../vitest-config.js'
import { createImportScanner } from './import-graph.js'

/** Vitest's default `forceRerunTriggers`: with `--changed` they rerun everything, in Vitest and in xtest. */
const RERUN_ALL = ['**/package.json', '**/vitest.config.*', '**/vite.config.*']
/**
 * Files no import names but that change what a test loads or sees: they select every file of each container whose
 * workdir holds them or lies below their folder (a lockfile, a tsconfig, an env file, a snapshot, Vitest's workspace).
 */
const RERUN_CONTAINER = [
  '**/{package-lock.json,npm-shrinkwrap.json,pnpm-lock.yaml,pnpm-workspace.yaml,yarn.lock,bun.lock,bun.lockb,.yarnrc.yml,.npmrc}',
  '**/{tsconfig,jsconfig}*.json',
  '**/.env',
  '**/.env.*',
  '**/__snapshots__/**',
  '**/*.snap',
  '**/vitest.{workspace,projects}.*',
]

/**
 * Files changed since `ref`, relative to the config root (POSIX): `git diff --name-only ref` (committed since ref
 * plus uncommitted changes; default ref HEAD, i.e. uncommitted only) plus untracked files. Renames count as a
 * deletion and an addition, so tests importing the old name are selected too.
 */
export async function listChangedFiles(root: string, ref = 'HEAD', timeoutMs = 120_000): Promise<string[]> {
  // A ref is never an option (`--changed=--output=FILE` would have git write a file): refused, and marked as a ref.
  if (ref.startsWith('-')) throw new UsageError(`--changed expects a git ref, got '${ref}'`)
  const top = (await git(root, ['rev-parse', '--show-toplevel'], `--changed needs a git repository at ${root}`, timeoutMs)).trim()
  const diff = await git(
    top,
    ['diff', '--name-only', '--no-renames', '-z', '--end-of-options', ref, '--'],
    `--changed ${ref}: git diff failed`,
    timeoutMs,
  )
  const untracked = await git(top, ['ls-files', '--others', '--exclude-standard', '-z'], '--changed: git ls-files failed', timeoutMs)
  const files = [...diff.split('\0'), ...untracked.split('\0')].filter(Boolean)
  const realRoot = fs.realpathSync(root)
  return [...new Set(files.map((file) => path.relative(realRoot, path.join(top, file)).split(path.sep).join('/')))].sort()
}

// Bounded (limits.gitTimeout): a git stuck on a lock, a credential prompt or a slow filesystem is exit 3, named.
async function git(cwd: string, args: string[], what: string, timeoutMs: number): Promise<string> {
  // In its own process group, killed whole at the limit: a child of git (a hook, a helper) holding its output
  // open would otherwise keep the call alive.
  const child = execa('git', args, {
    cwd,
    reject: false,
    stripFinalNewline: false,
    stdin: 'ignore',
    detached: true,
    env: { GIT_TERMINAL_PROMPT: '0' },
  })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
    } catch {
      /* already gone */
    }
  }, timeoutMs)
  const result = await child.finally(() => clearTimeout(timer))
  if (timedOut) {
    throw new InfraError(
      `git ${args[0]} did not finish in ${formatDuration(timeoutMs)} (limits.gitTimeout in the xtest config)`,
      'XTEST_GIT_TIMEOUT',
    )
  }
  if (result.exitCode !== 0 || result.failed) {
    const reason = (result.stderr || result.message || '').split('\n').find(Boolean) ?? `exit code ${result.exitCode}`
    throw new ConfigError(`${what}: ${reason}`, 'XTEST_CHANGED_GIT')
  }
  return result.stdout
}

/**
 * Changes that select more than their importers: the xtest config, a package.json or Vitest config (all files);
 * for a container: its Dockerfile or any file of its build context that `.dockerignore` lets into the build, a file
 * its Vitest config names (setup files) or their imports, and the files of RERUN_CONTAINER in or above its workdir.
 */
export function findChangeTriggers(config: ResolvedConfig, changed: readonly string[]): ChangeTriggers {
  const triggers: ChangeTriggers = { containers: new Map() }
  const configFile = config.configPath ? toRootPath(config.root, config.configPath) : undefined
  const all = changed.find((file) => file === configFile || micromatch.isMatch(file, RERUN_ALL, { dot: true }))
  if (all !== undefined)
    triggers.all = all === configFile ? `the xtest config ${all} changed` : `${all} changed (reruns everything, as in Vitest)`
  for (const [name, container] of Object.entries(config.containers)) {
    if (!container.build) continue
    const context = toRootPath(config.root, path.resolve(config.root, container.build.context))
    const dockerfile = toRootPath(
      config.root,
      path.resolve(config.root, container.build.dockerfile ?? path.join(container.build.context, 'Dockerfile')),
    )
    const inContext = changed.filter((file) => (context === '' ? !file.startsWith('../') : file.startsWith(`${context}/`)))
    const sent = readDockerignore(path.resolve(config.root, container.build.context))
    const hit = changed.find((file) => file === dockerfile) ?? inContext.find((file) => sent.sends(contextPath(context, file)))
    if (hit !== undefined)
      triggers.containers.set(name, hit === dockerfile ? `its Dockerfile ${hit} changed` : `its build context changed (${hit})`)
  }
  for (const [name, container] of Object.entries(config.containers)) {
    if (triggers.containers.has(name)) continue
    const workdir = toRootPath(config.root, path.resolve(config.root, container.workdir))
    const unmapped = changed.find((file) => micromatch.isMatch(file, RERUN_CONTAINER, { dot: true }) && holds(workdir, file))
    if (unmapped !== undefined) {
      triggers.containers.set(name, `${unmapped} changed (no import names it: all files of the container)`)
      continue
    }
    const setup = findSetupChange(config.root, workdir, new Set(changed))
    if (setup !== undefined) triggers.containers.set(name, `${setup} changed (named by the Vitest config, or imported by a file it names)`)
  }
  return triggers
}

// A file in the workdir, or above it (a root tsconfig or lockfile applies to a container in packages/a).
function holds(workdir: string, file: string): boolean {
  const dir = path.posix.dirname(file)
  const inside = (child: string, parent: string) => parent === '' || parent === '.' || child === parent || child.startsWith(`${parent}/`)
  return inside(file, workdir) || inside(workdir, dir)
}

// The files the workdir's Vitest config names by a string (setupFiles, globalSetup, …) and what they import: Vitest
// loads them for every test file, and no test file imports them.
function findSetupChange(root: string, workdir: string, changed: ReadonlySet<string>): string | undefined {
  const configFile = findVitestConfig(path.resolve(root, workdir))
  if (configFile === null) return undefined
  let text: string
  try {
    text = fs.readFileSync(configFile, 'utf8')
  } catch {
    return undefined
  }
  const scan = createImportScanner(root, changed)
  const configRel = toRootPath(root, configFile)
  // What the config imports (Vitest reruns a project when its config or anything it imports changed), then the files it names.
  const seen = new Set<string>([...scan(configRel).files, ...scan(configRel).globbed])
  const queue: string[] = [...seen]
  for (const token of tokenize(text)) {
    if (token.kind !== 'string' || token.value.includes('\0') || !/^[\w./@-]+\.[cm]?[jt]sx?$/.test(token.value)) continue
    for (const base of [path.posix.dirname(configRel), workdir]) {
      const file = path.posix.normalize(path.posix.join(base, token.value.replace(/^\//, '')))
      if (!seen.has(file) && (changed.has(file) || fs.existsSync(path.join(root, file)))) {
        seen.add(file)
        queue.push(file)
      }
    }
  }
  for (let i = 0; i < queue.length && i < 2000; i++) {
    const file = queue[i]!
    if (changed.has(file)) return file
    for (const next of [...scan(file).files, ...scan(file).globbed])
      if (!seen.has(next)) {
        seen.add(next)
        queue.push(next)
      }
  }
  return undefined
}

function contextPath(context: string, file: string): string {
  return context === '' ? file : file.slice(context.length + 1)
}

function toRootPath(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/')
}
