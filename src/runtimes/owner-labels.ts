// Who made a container, in labels precise enough to prove its owner dead: a hostname is shared by CI jobs in
// containers with `--network host`, and a pid means nothing outside its pid namespace or after a reboot.
import fs from 'node:fs'
import os from 'node:os'
import { hashText } from '../shared/hash.js'
import { pidAlive } from '../shared/pid-alive.js'
import { ownerToken, startTimeOf } from './process-sweep.js'

/** Where this process lives: host, boot and pid namespace (Linux; empty elsewhere, which proves nothing). */
export interface HostIdentity {
  host: string
  boot: string
  pidNamespace: string
}

export function hostIdentity(): HostIdentity {
  const read = (get: () => string): string => {
    try {
      return get().trim()
    } catch {
      return ''
    }
  }
  return {
    host: os.hostname(),
    boot: read(() => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
    pidNamespace: read(() => fs.readlinkSync('/proc/self/ns/pid')),
  }
}

/** The repository a run belongs to, as the `xtest.repo` label holds it. */
export const repoLabelOf = (repoRoot: string): string => hashText(repoRoot)

/** The labels every container of a run (or an `xtest exec`) carries besides its `xtest.run`. */
export function ownerLabels(repoRoot: string, here: HostIdentity = hostIdentity()): Record<string, string> {
  return {
    'xtest.pid': String(process.pid),
    'xtest.owner': ownerToken(),
    'xtest.host': here.host,
    'xtest.boot': here.boot,
    'xtest.pidns': here.pidNamespace,
    'xtest.repo': repoLabelOf(repoRoot),
  }
}

/**
 * Whether the run that made a container is gone for sure: made on this host, this boot and in this pid namespace,
 * and its pid is gone or now another process (a different start time). Anything else (labels missing, as on
 * containers of older versions, or another namespace) is not proof: the container is left alone.
 */
export function ownerProvenDead(
  labels: Readonly<Record<string, string>>,
  here: HostIdentity = hostIdentity(),
  startOf: (pid: number) => number | undefined = startTimeOf,
  exists: (pid: number) => boolean = pidAlive,
): boolean {
  if (!here.boot || !here.pidNamespace) return false
  if (labels['xtest.host'] !== here.host || labels['xtest.boot'] !== here.boot || labels['xtest.pidns'] !== here.pidNamespace) return false
  const match = /^(\d+):(\d+)$/.exec(labels['xtest.owner'] ?? '')
  if (!match) return false
  const pid = Number(match[1])
  const started = Number(match[2])
  if (pid <= 0 || started <= 0) return false
  const now = startOf(pid)
  // No start time to read: dead only if the pid is gone too (/proc may hide other users' processes).
  return now === undefined ? !exists(pid) : now !== started
}
