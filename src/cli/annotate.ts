// GitHub Actions annotations for a summary, with file paths relative to the repository root (where GitHub looks
// for them), whichever folder the config or the merge ran in: `xtest run` and `xtest merge` print them the same way.
import fs from 'node:fs'
import path from 'node:path'
import { formatAnnotations, type RunSummary } from '../report/index.js'
import { findRepoRoot } from '../run/repo-root.js'
import type { Output } from '../shared/output.js'

/** Prints the `::error` annotations of `summary` under GitHub Actions; `root` is the folder its file paths are relative to. */
export function printAnnotations(summary: RunSummary, root: string, env: NodeJS.ProcessEnv, out: Output): void {
  if (env.GITHUB_ACTIONS !== 'true') return
  const real = fs.realpathSync(root)
  const pathPrefix = path.relative(findRepoRoot(real), real).split(path.sep).join('/')
  const annotations = formatAnnotations(summary, { pathPrefix })
  if (annotations) out.commands(annotations)
}
