// Finds the host processes of local shards by their environment, which survives what a process group does not:
// a test's `detached: true` child, `setsid`, a double fork. Linux only (/proc); elsewhere the process group is all.
import fs from 'node:fs'
import { pidAlive } from '../shared/pid-alive.js'

/** Set in every local shard's environment: `<pid>:<start time>` of the xtest that owns it (the start time tells a reused pid). */
export const OWNER_VARIABLE = 'XTEST_OWNER'

export interface ShardProcess {
  pid: number
  runId: string
  shard: string | undefined
  owner: string | undefined
  /** Its process group (field 5 of /proc/<pid>/stat), when readable. */
  group: number | undefined
}

/** This process's owner token: pid and its start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
export function ownerToken(pid = process.pid): string {
  return `${pid}:${startTimeOf(pid) ?? 0}`
}

/** Whether the xtest named by an owner token is still running (same pid, same start time). */
export function ownerAlive(token: string): boolean {
  const [pid, start] = token.split(':').map(Number)
  if (!Number.isInteger(pid) || pid! <= 0) return false
  const now = startTimeOf(pid!)
  if (now !== undefined) return start === 0 || now === start
  return pidAlive(pid!)
}

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), if it is visible. */
export function startTimeOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const value = Number(fields[19])
    return Number.isFinite(value) ? value : undefined
  } catch {
    return undefined
  }
}

function groupOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const value = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
    return Number.isInteger(value) ? value : undefined
  } catch {
    return undefined
  }
}

/** Every process (readable by us) whose environment carries XTEST_RUN_ID, except this one. */
function listShardProcesses(): ShardProcess[] {
  if (process.platform !== 'linux') return []
  let pids: string[]
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return []
  }
  const found: ShardProcess[] = []
  for (const name of pids) {
    const pid = Number(name)
    if (pid === process.pid) continue
    let environ: string
    try {
      environ = fs.readFileSync(`/proc/${name}/environ`, 'latin1')
    } catch {
      continue
    }
    if (!environ.includes('XTEST_RUN_ID=')) continue
    const env = new Map<string, string>()
    for (const entry of environ.split('\0')) {
      const eq = entry.indexOf('=')
      if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1))
    }
    const runId = env.get('XTEST_RUN_ID')
    if (runId) found.push({ pid, runId, shard: env.get('XTEST_SHARD'), owner: env.get(OWNER_VARIABLE), group: groupOf(pid) })
  }
  return found
}

/**
 * SIGKILLs every process that `select` picks, again and again until none is left (a process may fork while we
 * look), at most `rounds` times. Returns the pids killed.
 */
export function killShardProcesses(select: (p: ShardProcess) => boolean, rounds = 5): number[] {
  const killed: number[] = []
  for (let round = 0; round < rounds; round++) {
    const targets = listShardProcesses().filter(select)
    if (targets.length === 0) break
    for (const { pid } of targets) {
      try {
        process.kill(pid, 'SIGKILL')
        killed.push(pid)
      } catch {
        /* gone already, or not ours */
      }
    }
  }
  return [...new Set(killed)]
}

/**
 * The processes descended from `root`, followed by their parent chain while the shard runs (polled), so that one
 * that left the process group and cleared its environment (`env -i`, a daemon) is still known when the shard
 * ends, after its parent is gone. A double fork faster than the poll escapes it: Docker is the sandbox.
 */
export class DescendantTracker {
  private readonly known = new Map<number, number | undefined>() // pid → start time
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly root: number,
    everyMs = 100,
  ) {
    if (process.platform !== 'linux') return
    this.timer = setInterval(() => this.scan(), everyMs)
    this.timer.unref()
  }

  /** Adds every process whose parent is the root (while it lives) or a known descendant, until nothing new turns up. */
  scan(rootAlive = true): void {
    const parents = new Map<number, number>()
    let pids: string[]
    try {
      pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))
    } catch {
      return
    }
    for (const name of pids) {
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8')
        parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
      } catch {
        /* gone */
      }
    }
    for (let grew = true; grew; ) {
      grew = false
      for (const [pid, parent] of parents) {
        if (this.known.has(pid) || !((rootAlive && parent === this.root) || this.known.has(parent))) continue
        this.known.set(pid, startTimeOf(pid))
        grew = true
      }
    }
  }

  /** Stops polling and SIGKILLs every known descendant that is still the same process. Returns how many. */
  killAll(): number {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    const killed = new Set<number>()
    for (let round = 0; round < 3; round++) {
      // The root has ended (its pid may be reused): only the known descendants' children count now.
      this.scan(false)
      let any = false
      for (const [pid, start] of this.known) {
        if (killed.has(pid) || startTimeOf(pid) === undefined || startTimeOf(pid) !== start) continue
        try {
          process.kill(pid, 'SIGKILL')
          killed.add(pid)
          any = true
        } catch {
          /* gone */
        }
      }
      if (!any) break
    }
    return killed.size
  }
}
