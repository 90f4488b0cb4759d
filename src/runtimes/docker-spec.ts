// A shard's container as the engine wants it: mounts, user, limits and security options, built in one place.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { currentHost } from '../config/check-safety.js'
import { checkVolumes } from '../config/check-volumes.js'
import type { ContainerConfig } from '../config/schema.js'
import { ConfigError } from '../core/errors.js'
import { parseSize } from '../shared/size.js'
import type { ContainerCreateOptions } from './engine-client.js'
import { REPO_MOUNT, type RepoMountsInput, repoMounts } from './repo-mounts.js'

export const XTEST_MOUNT = '/opt/xtest'
/** A shard's exchange folder (shard-exchange.ts): what the host hands in (read-only) and where results go out. */
export const SHARD_IN_MOUNT = '/xtest/in'
export const SHARD_OUT_MOUNT = '/xtest/out'

/** Host path → path inside the container (the repo is at /app, xtest itself at /opt/xtest when outside the repo). */
export function containerPathMapper(repoRoot: string, xtestRoot: string) {
  const inside = (root: string, p: string) => !path.relative(root, p).startsWith('..') && !path.isAbsolute(path.relative(root, p))
  const xtestInRepo = inside(repoRoot, xtestRoot)
  // A repository inside xtest's own folder (a project in a checkout of xtest) is still seen at /app.
  const repoInXtest = inside(xtestRoot, repoRoot)
  const toShard = (hostPath: string): string => {
    if (!xtestInRepo && inside(xtestRoot, hostPath) && !(repoInXtest && inside(repoRoot, hostPath)))
      return path.posix.join(XTEST_MOUNT, path.relative(xtestRoot, hostPath).split(path.sep).join('/'))
    if (inside(repoRoot, hostPath)) return path.posix.join(REPO_MOUNT, path.relative(repoRoot, hostPath).split(path.sep).join('/'))
    throw new Error(`${hostPath} is outside the mounted repository ${repoRoot}`)
  }
  return { toShard, xtestInRepo, xtestRootInShard: toShard(xtestRoot) }
}

/** A shard container's CPU weight (Docker's default is 1024). */
const SHARD_CPU_SHARES = 512

/** Memory limit when the config names none: a leak or a runaway test hits its own limit, not the host. */
const DEFAULT_MEMORY = '4g'
/** Who a shard runs as when xtest itself runs as root and the config does not opt into root: nobody. */
const NOBODY = { uid: 65534, gid: 65534 }

/**
 * The invoking user's uid:gid; root only by explicit opt-in (`root: true`). When xtest itself runs as root (a CI
 * container), the owner of the repository, so that files tests write are that owner's; nobody when root owns it.
 */
export function shardUser(
  container: ContainerConfig,
  repoOwner: { uid: number; gid: number } | null,
  user = os.userInfo(),
): { uid: number; gid: number } {
  if (container.root) return { uid: 0, gid: 0 }
  if (user.uid !== 0) return { uid: user.uid, gid: user.gid }
  return repoOwner && repoOwner.uid !== 0 ? repoOwner : NOBODY
}

/** uid:gid of a folder's owner, or null when it cannot be read. */
export function ownerOf(dir: string): { uid: number; gid: number } | null {
  try {
    const stat = fs.statSync(dir)
    return { uid: stat.uid, gid: stat.gid }
  } catch {
    return null
  }
}

// Host namespaces hand the test code the host: never, whatever the config says.
function refuseHostNamespaces(network: string): void {
  if (network === 'host' || network.startsWith('container:')) {
    throw new ConfigError(
      `network '${network}' shares a namespace with the host or another container; use 'none', 'bridge' or a named network`,
      'XTEST_UNSAFE_NETWORK',
    )
  }
}

/** Parses '512m', '4g', '1024' (bytes) into bytes. */
const parseMemory = parseSize

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
  /** How the repo is mounted (read-only or not, writable folders, the hidden output folder). */
  mounts: Omit<RepoMountsInput, 'repoRoot' | 'emptyDir'>
  /** The exchange folder (host paths): `in/` and `out/` for a shard; `empty/` hides the output folder. */
  exchange: { inDir?: string; outDir?: string; emptyDir: string; scratchDir?: string }
  /** Who runs the command; see shardUser. */
  user: { uid: number; gid: number }
}

/** The container a shard (or `xtest exec`) runs in: the repo mounted, the invoking user, no network, no capabilities. */
export function shardCreateOptions(input: CreateOptionsInput): ContainerCreateOptions {
  const { container, command, labels } = input
  const memory = parseMemory(container.memory ?? DEFAULT_MEMORY)
  refuseHostNamespaces(container.network)
  const { emptyDir, scratchDir } = input.exchange
  const repo = repoMounts({ repoRoot: input.repoRoot, ...input.mounts, emptyDir, scratchDir })
  const binds = [...repo.binds]
  if (!input.xtestInRepo) binds.push(`${input.xtestRoot}:${XTEST_MOUNT}:ro`)
  if (input.exchange.inDir) binds.push(`${input.exchange.inDir}:${SHARD_IN_MOUNT}:ro`)
  if (input.exchange.outDir) binds.push(`${input.exchange.outDir}:${SHARD_OUT_MOUNT}`)
  // Checked again now, and bound by real path: a shard that can write the repo may have swapped a volume's folder
  // for a link since the config was read.
  const [unsafe] = checkVolumes({ containers: { container } }, input.root, currentHost())
  if (unsafe) throw new ConfigError(`volume ${unsafe.message}`, 'XTEST_UNSAFE_VOLUME')
  for (const volume of container.volumes) {
    const [host, target, mode] = volume.split(':')
    binds.push(`${fs.realpathSync(path.resolve(input.root, host!))}:${target}${mode ? `:${mode}` : ''}`)
  }
  // No --max-old-space-size: Node already sizes its heap from the cgroup limit (4g gives a 2 GiB heap, 512m
  // 259 MiB), so V8 fails readably before the OOM killer; and setting the flag made a Vitest run ~5 % slower (measured).
  const env = {
    HOME: '/tmp',
    CI: process.env.CI ?? '',
    TZ: process.env.TZ ?? 'UTC',
    // The repo belongs to the invoking user; git inside must not refuse it as "dubious ownership".
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'safe.directory',
    GIT_CONFIG_VALUE_0: '*',
    ...command.env,
  }
  const user = `${input.user.uid}:${input.user.gid}`
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
      PidsLimit: container.pids,
      Tmpfs: { '/tmp': 'rw,nosuid,nodev,exec,size=1g' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '50m', 'max-file': '2' } },
      AutoRemove: false,
      // With the repo read-only (the default), the image's own files are too: /tmp (HOME) is the only scratch space.
      ReadonlyRootfs: input.mounts.readOnly,
      Memory: memory,
      MemorySwap: memory,
      ...(container.cpus ? { NanoCpus: Math.round(container.cpus * 1e9) } : {}),
      // Half the default weight: under contention the host's own processes (a shell, the editor, xtest) come first.
      CpuShares: SHARD_CPU_SHARES,
    },
  }
}
