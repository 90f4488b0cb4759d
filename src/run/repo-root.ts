// Which folder a shard container sees at /app: the project's git repository when that repository tracks the
// project (or the outermost repository of its submodule chain: git inside a submodule needs the superproject's
// .git/modules), else the project folder alone. Never an enclosing repository that does not track the project (a
// dotfiles repo in the home folder would expose ~/.ssh and ~/.bashrc), never a folder above the project outside git.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

/** The repository root to mount for a project in `dir` (real path), or `dir` itself outside a repository that tracks it. */
export function findRepoRoot(dir: string): string {
  const start = fs.realpathSync(path.resolve(dir))
  let root = nearestRepo(start)
  if (root === null || !tracks(root, start)) return start
  for (let super_ = superprojectOf(root); super_ !== null; super_ = superprojectOf(root)) root = super_
  return root
}

function nearestRepo(dir: string): string | null {
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return current
    if (path.dirname(current) === current) return null
  }
}

// The repository tracks the project when git lists a file under the project folder, or under one of its parent
// folders below the repository's top (a scratch copy in an ignored folder of a tracked one, such as a fixture copy).
// A project directly in the top folder of an enclosing repo ($HOME/app in a dotfiles $HOME) must itself be tracked.
// Without a working git, nothing counts as tracked: the project folder alone is the safe answer.
function tracks(repo: string, project: string): boolean {
  for (let dir = project; dir !== repo; dir = path.dirname(dir)) {
    const rel = path.relative(repo, dir)
    if (rel.startsWith('..') || path.isAbsolute(rel)) return false
    try {
      execFileSync('git', ['-c', 'safe.directory=*', '-C', repo, 'ls-files', '--error-unmatch', '--', rel], {
        stdio: 'ignore',
        timeout: 30_000,
      })
      return true
    } catch {
      // not tracked (or no git): try the folder above
    }
  }
  return project === repo
}

// A submodule's `.git` is a file `gitdir: <super>/.git/modules/<name>`; a worktree's points into `.git/worktrees/`.
function superprojectOf(repo: string): string | null {
  let text: string
  try {
    if (!fs.lstatSync(path.join(repo, '.git')).isFile()) return null
    text = fs.readFileSync(path.join(repo, '.git'), 'utf8')
  } catch {
    return null
  }
  const gitdir = text.match(/^gitdir:\s*(.+?)\s*$/m)?.[1]
  if (!gitdir) return null
  const resolved = path.resolve(repo, gitdir).split(path.sep)
  // Nested submodules live in <top>/.git/modules/<a>/modules/<b>: the first `.git/modules` names the top.
  const gitAt = resolved.findIndex((segment, i) => segment === '.git' && resolved[i + 1] === 'modules')
  if (gitAt < 0) return null
  const super_ = resolved.slice(0, gitAt).join(path.sep) || path.sep
  // The superproject must enclose the submodule; anything else is not a chain git would follow.
  const rel = path.relative(super_, repo)
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) && fs.existsSync(path.join(super_, '.git')) ? super_ : null
}
