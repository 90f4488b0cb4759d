// How the repository appears inside a shard container. The repo is read-only by default, in CI and locally: a test
// that could write it could plant code the host runs later (the xtest config on the next `xtest plan`, package.json
// scripts, git hooks, .envrc). Tests write only into the folders the config declares writable, and even there
// every `.git`, `node_modules`, `.husky`, `package.json`, `.envrc`, xtest config file and the extra protected paths
// (the config's imports, core.hooksPath) stay read-only. Vitest's own output folder (`.vitest/` in the working
// directory) is a writable folder of the shard's exchange folder. xtest's output folder (run folders, timings,
// reports) is hidden behind an empty read-only folder, so a shard can neither read nor forge another shard's
// results. (Not a tmpfs: Podman copies a mount point's content into a tmpfs mounted over it, which would hand the
// shard exactly what the mask is for.)
import fs from 'node:fs'
import path from 'node:path'
import { type WalkStep, walkTree } from '../shared/walk-tree.js'
import { resolveInside } from '../store/files.js'

/** Where the repository is inside a shard container. */
export const REPO_MOUNT = '/app'

export interface RepoMountsInput {
  /** Host paths. */
  repoRoot: string
  outputDir: string
  readOnly: boolean
  /** Host paths inside the repo that stay writable when the repo is read-only. */
  writable: readonly string[]
  /** Host paths (files or folders) that stay read-only even inside a writable folder. */
  protect?: readonly string[]
  /** Host folders inside the repo that get a scratch folder of the shard's own (bound from `scratchDir`). */
  scratch?: readonly string[]
  /** An empty folder of the host's (the exchange folder's), bound read-only over the output folder. */
  emptyDir: string
  /** The shard's own writable folder for `scratch` (in its exchange folder). */
  scratchDir?: string
}

export interface RepoMounts {
  binds: string[]
}

// A bounded walk: a huge tree costs at most this many folders.
const MAX_FOLDERS = 100_000
/** Folders and files a test must never change: each is code or config the host runs or trusts later. */
const PROTECTED_DIRS = new Set(['.git', 'node_modules', '.husky'])
const PROTECTED_FILES = /^(?:\.git|package\.json|\.envrc|\.npmrc|xtest\.config\.(?:[cm]?[jt]s|json))$/

export function repoMounts(input: RepoMountsInput): RepoMounts {
  const repoRoot = fs.realpathSync(input.repoRoot)
  const inShard = (hostPath: string) => path.posix.join(REPO_MOUNT, path.relative(repoRoot, hostPath).split(path.sep).join('/'))
  const binds = [`${repoRoot}:${REPO_MOUNT}${input.readOnly ? ':ro' : ''}`]
  const writable = input.readOnly ? input.writable : [repoRoot]
  if (input.readOnly) for (const dir of writable) binds.push(`${dir}:${inShard(dir)}`)
  // Inside every writable folder: the protected names it holds, and the extra protected paths that lie in it.
  const within = (dir: string, p: string) => p === dir || p.startsWith(`${dir}${path.sep}`)
  const extra = (input.protect ?? []).filter((p) => writable.some((dir) => within(dir, p)) && fs.existsSync(p))
  for (const p of new Set([...writable.flatMap(findProtected), ...extra])) binds.push(`${p}:${inShard(p)}:ro`)
  if (input.scratchDir) for (const dir of input.scratch ?? []) binds.push(`${input.scratchDir}:${inShard(dir)}`)
  const output = resolveInside(repoRoot, input.outputDir)
  if (output !== null && output !== repoRoot) binds.push(`${input.emptyDir}:${inShard(output)}:ro`)
  return { binds }
}

/** Every protected folder or file (real ones, not links) in the tree: `.git`, `node_modules`, `package.json`, …; outermost only. */
export function findProtected(repoRoot: string): string[] {
  const step = (entry: fs.Dirent): WalkStep => {
    if (entry.isDirectory()) return PROTECTED_DIRS.has(entry.name) ? 'keep' : 'enter'
    return entry.isFile() && PROTECTED_FILES.test(entry.name) ? 'keep' : 'pass'
  }
  return walkTree(repoRoot, step, { maxFolders: MAX_FOLDERS })
}
