// Whether a process with this pid exists (one of another user counts: EPERM): asked by pruning (a run folder's owner)
// and by the sweeps (a container's or a local shard's owner).
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
