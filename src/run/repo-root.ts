// Which folder a shard container sees at /app: the project's git repository, or the outermost repository of its
// submodule chain (git inside a submodule needs the superproject's .git/modules), never an unrelated repository
// that merely encloses it (a dotfiles repo in the home folder would expose ~/.ssh).
import fs from 'node:fs'
import path from 'node:path'

/** The repository root to mount for a project in `dir` (real path), or `dir` itself outside git. */
export function findRepoRoot(dir: string): string {
  const start = fs.realpathSync(path.resolve(dir))
  let root = nearestRepo(start)
  if (root === null) return start
  for (let super_ = superprojectOf(root); super_ !== null; super_ = superprojectOf(root)) root = super_
  return root
}

function nearestRepo(dir: string): string | null {
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return current
    if (path.dirname(current) === current) return null
  }
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
