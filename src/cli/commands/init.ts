// `xtest init`: the first step in a project: a starter config (only if there is none) and `.xtest/` in .gitignore
// (only if no line ignores it yet), so run folders never end up in a commit. Safe to run again: it changes nothing.
import fs from 'node:fs'
import path from 'node:path'
import semver from 'semver'
import { CONFIG_NAMES } from '../../config/load.js'
import { installedVitest } from '../../plan/vitest-config.js'
import { type Output, writeLine } from '../../shared/output.js'

const starter = (image: string): string => `import { defineConfig } from 'vitest-xtest/config'

// One container to start with: every test file runs in it. xtest does not pull images: \`docker pull ${image}\` first
// (or use \`build: { context: '.', dockerfile: 'Dockerfile' }\`). Add containers, include/exclude and tiers as needed.
export default defineConfig({
  containers: {
    app: { image: '${image}' },
  },
})
`

// Node's even (long-term) majors, oldest first: the images a starter config may name.
const NODE_MAJORS = [20, 22, 24, 26]

/**
 * The \`node:<major>\` image the starter names: the local Node's major when the installed Vitest runs on it (an image's
 * \`node:<major>\` tag is that major's newest release), else the oldest long-term major it runs on. Vitest runs inside
 * the image, so an image whose Node cannot run it fails every shard.
 */
export function starterImage(localNode: string, vitestEngines: string | undefined): string {
  const runs = (major: number): boolean =>
    vitestEngines === undefined || semver.satisfies(`${major}.999.0`, vitestEngines, { includePrerelease: false })
  const local = Number(localNode.replace(/^v/, '').split('.')[0])
  const major = runs(local) ? local : (NODE_MAJORS.find(runs) ?? local)
  return `node:${major}`
}

// Lines that already ignore the folder (with or without the leading or trailing slash).
const IGNORES_XTEST = /^\/?\.xtest\/?(\*\*?)?\s*$/

/** True when `text` (a .gitignore) has a line that ignores `.xtest/`. */
export const ignoresXtest = (text: string): boolean => text.split(/\r?\n/).some((line) => IGNORES_XTEST.test(line.trim()))

// Vitest 5 writes its reporters' files under `.vitest/` by default.
const IGNORES_VITEST = /^\/?\.vitest\/?(\*\*?)?\s*$/

/** True when `text` (a .gitignore) has a line that ignores `.vitest/`. */
export const ignoresVitestFolder = (text: string): boolean => text.split(/\r?\n/).some((line) => IGNORES_VITEST.test(line.trim()))

/**
 * Appends `.xtest/` (and, for Vitest 5, `.vitest/`) to `<dir>/.gitignore` unless a line ignores it already; returns
 * the folders it added.
 */
export function addToGitignore(dir: string, vitestMajor: number | null = null): string[] {
  const file = path.join(dir, '.gitignore')
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
  const lines: string[] = []
  if (!ignoresXtest(text)) lines.push('# xtest run folders, merged reports and timings', '.xtest/')
  if (vitestMajor !== null && vitestMajor >= 5 && !ignoresVitestFolder(text)) lines.push("# Vitest 5's reporter files", '.vitest/')
  if (lines.length === 0) return []
  const separator = text === '' || text.endsWith('\n') ? '' : '\n'
  fs.appendFileSync(file, `${separator}${lines.join('\n')}\n`)
  return lines.filter((line) => !line.startsWith('#'))
}

/** Writes a starter xtest.config.ts naming `image` unless the folder has a config; returns the existing or new file's name. */
export function writeStarterConfig(dir: string, image: string): { file: string; written: boolean } {
  const existing = CONFIG_NAMES.find((name) => fs.existsSync(path.join(dir, name)))
  if (existing !== undefined) return { file: existing, written: false }
  fs.writeFileSync(path.join(dir, 'xtest.config.ts'), starter(image), { flag: 'wx' })
  return { file: 'xtest.config.ts', written: true }
}

export function initCommand(out: Output, cwd = process.cwd()): number {
  const vitest = installedVitest(cwd)
  const image = starterImage(process.version, vitest?.nodeRange)
  const config = writeStarterConfig(cwd, image)
  const forWhat = vitest === null ? `Node ${process.versions.node}` : `Node ${process.versions.node} and Vitest ${vitest.version}`
  writeLine(
    out.stdout,
    config.written
      ? `xtest: wrote ${config.file} (one container, image ${image} for ${forWhat}: get it with \`docker pull ${image}\`; edit it to match your images)`
      : `xtest: ${config.file} exists; left as is`,
  )
  const vitestMajor = vitest === null ? null : semver.major(semver.coerce(vitest.version) ?? '0.0.0')
  const added = addToGitignore(cwd, vitestMajor)
  writeLine(
    out.stdout,
    added.length > 0 ? `xtest: added ${added.join(' and ')} to .gitignore` : 'xtest: .gitignore already ignores .xtest/',
  )
  return 0
}
