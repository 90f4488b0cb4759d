import type Docker from 'dockerode'
import os from 'node:os'
import path from 'node:path'
import type { ContainerConfig } from '../config/schema.js'

export const REPO_MOUNT = '/app'
export const XTEST_MOUNT = '/opt/xtest'

/** Host path → path inside the container (the repo is at /app, xtest itself at /opt/xtest when outside the repo). */
export function containerPathMapper(repoRoot: string, xtestRoot: string) {
  const inside = (root: string, p: string) => !path.relative(root, p).startsWith('..') && !path.isAbsolute(path.relative(root, p))
  const xtestInRepo = inside(repoRoot, xtestRoot)
  const toShard = (hostPath: string): string => {
    if (!xtestInRepo && inside(xtestRoot, hostPath)) return path.posix.join(XTEST_MOUNT, path.relative(xtestRoot, hostPath).split(path.sep).join('/'))
    if (inside(repoRoot, hostPath)) return path.posix.join(REPO_MOUNT, path.relative(repoRoot, hostPath).split(path.sep).join('/'))
    throw new Error(`${hostPath} is outside the mounted repository ${repoRoot}`)
  }
  return { toShard, xtestInRepo, xtestRootInShard: toShard(xtestRoot) }
}

/** Parses '512m', '4g', '1024' (bytes) into bytes. */
export function parseMemory(size: string): number {
  const m = size.toLowerCase().match(/^(\d+(?:\.\d+)?)([kmg]?)b?$/)!
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2] as '' | 'k' | 'm' | 'g']
  return Math.round(Number(m[1]) * unit)
}

export interface CreateOptionsInput {
  /** Host paths: the config root (for relative volumes) and the repo mounted at /app. */
  root: string
  repoRoot: string
  container: ContainerConfig
  /** The command with its arguments (never through a shell), working directory and environment, as the container sees them. */
  command: { cmd: string[]; cwd: string; env: Record<string, string> }
  image: string
  xtestRoot: string
  xtestInRepo: boolean
  labels: Record<string, string>
}

/** The container a shard (or `xtest exec`) runs in: the repo mounted, the invoking user, no network, no capabilities. */
export function shardCreateOptions(input: CreateOptionsInput): Docker.ContainerCreateOptions {
  const { container, command, labels } = input
  const memory = container.memory ? parseMemory(container.memory) : undefined
  const binds = [`${input.repoRoot}:${REPO_MOUNT}`]
  if (!input.xtestInRepo) binds.push(`${input.xtestRoot}:${XTEST_MOUNT}:ro`)
  for (const volume of container.volumes) {
    const [host, target, mode] = volume.split(':')
    binds.push(`${path.resolve(input.root, host!)}:${target}${mode ? `:${mode}` : ''}`)
  }
  const nodeOptions = memory ? `--max-old-space-size=${Math.floor((memory * 0.75) / 1024 / 1024)}` : undefined
  const env = {
    HOME: '/tmp',
    CI: process.env.CI ?? '',
    TZ: process.env.TZ ?? 'UTC',
    // The repo belongs to the invoking user; git inside must not refuse it as "dubious ownership".
    GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'safe.directory', GIT_CONFIG_VALUE_0: '*',
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    ...command.env,
  }
  const user = container.root ? '0:0' : `${os.userInfo().uid}:${os.userInfo().gid}`
  return {
    Image: input.image,
    Cmd: command.cmd,
    WorkingDir: command.cwd,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    User: user,
    Labels: labels,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    HostConfig: {
      Binds: binds,
      NetworkMode: container.network,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Init: true,
      PidsLimit: 1024,
      Tmpfs: { '/tmp': 'rw,nosuid,nodev,exec,size=1g' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '50m', 'max-file': '2' } },
      AutoRemove: false,
      ...(memory ? { Memory: memory, MemorySwap: memory } : {}),
      ...(container.cpus ? { NanoCpus: Math.round(container.cpus * 1e9) } : {}),
    },
  }
}
