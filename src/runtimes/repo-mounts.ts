// How the repository appears inside a shard container. The repo is read-only in CI and writable locally unless
// the container says otherwise; `.git` and every `node_modules` are read-only always (a planted git hook or a
// patched dist/cli.js would run on the host later); xtest's own output folder (run folders, timings, reports) is
// hidden behind an empty read-only folder, so a shard can neither read nor forge another shard's results. (Not a
// tmpfs: Podman copies a mount point's content into a tmpfs mounted over it, which would hand the shard exactly
// what the mask is for.)
import fs from 'node:fs'
import path from 'node:path'

/** Where the repository is inside a shard container. */
export const REPO_MOUNT = '/app'

export interface RepoMountsInput {
  /** Host paths. */
  repoRoot: string
  outputDir: string
  readOnly: boolean
  /** Host paths inside the repo that stay writable when the repo is read-only. */
  writable: readonly string[]
  /** An empty folder of the host's (the exchange folder's), bound read-only over the output folder. */
  emptyDir: string
}

export interface RepoMounts {
  binds: string[]
}

// A bounded walk: a huge tree costs at most this many folders.
const MAX_FOLDERS = 100_000

export function repoMounts(input: RepoMountsInput): RepoMounts {
  const repoRoot = fs.realpathSync(input.repoRoot)
  const inShard = (hostPath: string) => path.posix.join(REPO_MOUNT, path.relative(repoRoot, hostPath).split(path.sep).join('/'))
  const binds = [`${repoRoot}:${REPO_MOUNT}${input.readOnly ? ':ro' : ''}`]
  // Writable folders of a read-only repo still hide their own .git and node_modules.
  const writable = input.readOnly ? input.writable : [repoRoot]
  if (input.readOnly) for (const dir of writable) binds.push(`${dir}:${inShard(dir)}`)
  for (const dir of writable.flatMap(findProtected)) binds.push(`${dir}:${inShard(dir)}:ro`)
  const output = resolveInside(repoRoot, input.outputDir)
  if (output !== null && output !== repoRoot) binds.push(`${input.emptyDir}:${inShard(output)}:ro`)
  return { binds }
}

/** Every `.git` and `node_modules` (real folders or files, not links) in the repo, outermost only. */
export function findProtected(repoRoot: string): string[] {
  const found: string[] = []
  const queue = [repoRoot]
  let visited = 0
  while (queue.length > 0 && visited++ < MAX_FOLDERS) {
    const dir = queue.shift()!
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name)
      if (entry.name === '.git' && (entry.isDirectory() || entry.isFile())) found.push(full)
      else if (entry.name === 'node_modules' && entry.isDirectory()) found.push(full)
      else if (entry.isDirectory()) queue.push(full)
    }
  }
  return found
}

/** The real path of `p` when it lies inside `root` (it need not exist yet), else null. */
export function resolveInside(root: string, p: string): string | null {
  let existing = path.resolve(p)
  const rest: string[] = []
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
    rest.unshift(path.basename(existing))
    existing = path.dirname(existing)
  }
  const real = path.join(fs.realpathSync(existing), ...rest)
  const rel = path.relative(root, real)
  return rel.startsWith('..') || path.isAbsolute(rel) ? null : real
}
