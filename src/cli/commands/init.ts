// `xtest init`: the first step in a project: a starter config (only if there is none) and `.xtest/` in .gitignore
// (only if no line ignores it yet), so run folders never end up in a commit. Safe to run again: it changes nothing.
import fs from 'node:fs'
import path from 'node:path'
import { writeLine, type Output } from '../../shared/output.js'

const CONFIG_NAMES = ['xtest.config.ts', 'xtest.config.mts', 'xtest.config.js', 'xtest.config.mjs', 'xtest.config.json']

const STARTER = `import { defineConfig } from 'vitest-xtest/config'

// One container to start with: every test file runs in it. xtest does not pull images: \`docker pull node:20\` first
// (or use \`build: { context: '.', dockerfile: 'Dockerfile' }\`). Add containers, include/exclude and tiers as needed.
export default defineConfig({
  containers: {
    app: { image: 'node:20' },
  },
})
`

// Lines that already ignore the folder (with or without the leading or trailing slash).
const IGNORES_XTEST = /^\/?\.xtest\/?(\*\*?)?\s*$/

/** True when `text` (a .gitignore) has a line that ignores `.xtest/`. */
export const ignoresXtest = (text: string): boolean => text.split(/\r?\n/).some((line) => IGNORES_XTEST.test(line.trim()))

/** Appends `.xtest/` to `<dir>/.gitignore` unless a line ignores it already; returns whether it wrote. */
export function addToGitignore(dir: string): boolean {
  const file = path.join(dir, '.gitignore')
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
  if (ignoresXtest(text)) return false
  const separator = text === '' || text.endsWith('\n') ? '' : '\n'
  fs.appendFileSync(file, `${separator}# xtest run folders, merged reports and timings\n.xtest/\n`)
  return true
}

/** Writes a starter xtest.config.ts unless the folder has a config; returns the existing or new file's name. */
export function writeStarterConfig(dir: string): { file: string; written: boolean } {
  const existing = CONFIG_NAMES.find((name) => fs.existsSync(path.join(dir, name)))
  if (existing !== undefined) return { file: existing, written: false }
  fs.writeFileSync(path.join(dir, 'xtest.config.ts'), STARTER, { flag: 'wx' })
  return { file: 'xtest.config.ts', written: true }
}

export function initCommand(out: Output, cwd = process.cwd()): number {
  const config = writeStarterConfig(cwd)
  writeLine(
    out.stdout,
    config.written
      ? `xtest: wrote ${config.file} (one container; edit it to match your images)`
      : `xtest: ${config.file} exists; left as is`,
  )
  const ignored = addToGitignore(cwd)
  writeLine(out.stdout, ignored ? 'xtest: added .xtest/ to .gitignore' : 'xtest: .gitignore already ignores .xtest/')
  return 0
}
