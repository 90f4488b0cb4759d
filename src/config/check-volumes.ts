// A volume is checked on the path Docker would bind: the host side resolved with realpath, so a symlink to the
// engine socket, `/var/run` or `/` is seen for what it is (a check on the string missed all three). Refused: the
// host's root, /proc, /sys, /dev, the home folders, and anything that is or holds a unix socket (an engine socket
// is root on the host) unless `unsafe.engineSocket: true`.
import fs from 'node:fs'
import path from 'node:path'
import { type WalkStep, walkTree } from '../shared/walk-tree.js'
import type { ConfigProblem, HostFacts } from './check-limits.js'
import type { ParsedConfig } from './schema.js'

const KERNEL_FOLDERS = ['/proc', '/sys', '/dev']
// Looked for inside the bound folder however deep they sit; any other socket is found by a bounded scan.
const KNOWN_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock', '/run/podman/podman.sock', '/run/containerd/containerd.sock']
const SCAN_DEPTH = 3
const SCAN_ENTRIES = 5000

/** Every volume of every container whose host side is unsafe to hand to test code. */
export function checkVolumes(config: Pick<ParsedConfig, 'containers'>, root: string, host: HostFacts): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const guarded = guardedPaths(config, host)
  for (const [name, container] of Object.entries(config.containers)) {
    for (const [index, volume] of container.volumes.entries()) {
      const source = path.resolve(root, volume.split(':')[0]!)
      const problem = volumeProblem(source, container.unsafe.engineSocket, guarded)
      if (problem) problems.push({ path: ['containers', name, 'volumes', index], message: `'${volume}': ${problem}` })
    }
  }
  return problems
}

interface Guarded {
  homes: string[]
  sockets: string[]
}

function volumeProblem(source: string, allowSockets: boolean, guarded: Guarded): string | undefined {
  const named = KERNEL_FOLDERS.find((dir) => isInside(source, dir))
  if (named) return `${source} exposes the host's ${named}`
  let real: string
  try {
    real = fs.realpathSync(source)
  } catch {
    return `${source} does not exist (Docker would create it, as root)`
  }
  const shown = real === source ? real : `${source} (${real})`
  if (real === '/') return `${shown} is the host's root folder`
  const kernel = KERNEL_FOLDERS.find((dir) => isInside(real, dir))
  if (kernel) return `${shown} exposes the host's ${kernel}`
  const home = guarded.homes.find((dir) => isInside(dir, real))
  if (home) return `${shown} exposes the home folder ${home}`
  if (allowSockets) return undefined
  const socket = guarded.sockets.find((file) => isInside(file, real)) ?? findSocket(real)
  if (!socket) return undefined
  const what = /(docker|podman|containerd)\.sock$/.test(socket) ? 'the container engine socket' : 'the unix socket'
  return `${shown} ${socket === real ? 'is' : 'exposes'} ${what} ${socket}, a way out of the sandbox (an engine socket is root on the host); set unsafe: { engineSocket: true } to allow it`
}

/** Home folders and engine sockets of this host that exist, as real paths. */
function guardedPaths(config: Pick<ParsedConfig, 'containers'>, host: HostFacts): Guarded {
  const uid = process.getuid?.()
  const runtimeDir = host.env.XDG_RUNTIME_DIR ?? (uid === undefined ? undefined : `/run/user/${uid}`)
  const engineUrls = [host.env.DOCKER_HOST, ...Object.values(config.containers).map((c) => c.host)]
  const sockets = [
    ...KNOWN_SOCKETS,
    ...(runtimeDir ? [path.join(runtimeDir, 'docker.sock'), path.join(runtimeDir, 'podman/podman.sock')] : []),
    path.join(host.home, '.docker/run/docker.sock'),
    path.join(host.home, '.docker/desktop/docker.sock'),
    ...engineUrls.filter((url): url is string => Boolean(url?.startsWith('unix://'))).map((url) => url.slice('unix://'.length)),
  ]
  return { homes: existingReal([host.home, '/root', '/home']), sockets: existingReal(sockets) }
}

function existingReal(paths: string[]): string[] {
  const out = new Set<string>()
  for (const p of paths) {
    try {
      out.add(fs.realpathSync(p))
    } catch {
      /* not on this host */
    }
  }
  return [...out]
}

/** `inner` is `outer` or below it. */
function isInside(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

// The first socket at or below `real` (symlinks not followed: inside the container they point into its own tree).
function findSocket(real: string): string | undefined {
  const stat = fs.statSync(real)
  if (stat.isSocket()) return real
  if (!stat.isDirectory()) return undefined
  const step = (entry: fs.Dirent): WalkStep =>
    entry.isSocket() ? 'keep' : entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '.git' ? 'enter' : 'pass'
  return walkTree(real, step, { maxDepth: SCAN_DEPTH, maxEntries: SCAN_ENTRIES, first: true })[0]
}
