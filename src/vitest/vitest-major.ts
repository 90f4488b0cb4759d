// The major version of the Vitest running this plugin: Vitest 5 changed rules the plugin follows (inline projects
// extend the root config by default). Node built-ins only: this runs inside the shard.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * The major of the Vitest this process runs: the package holding the entry script (a shard runs
 * `node <vitest>/vitest.mjs`), else the `vitest` Node resolves from `cwd`; null when neither says.
 */
export function runningVitestMajor(entry: string | undefined = process.argv[1], cwd = process.cwd()): number | null {
  const fromEntry = entry ? majorOf(path.join(path.dirname(realpath(entry)), 'package.json')) : null
  if (fromEntry !== null) return fromEntry
  try {
    return majorOf(createRequire(path.join(cwd, 'noop.js')).resolve('vitest/package.json'))
  } catch {
    return null
  }
}

function majorOf(packageJson: string): number | null {
  try {
    const { name, version } = JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { name?: string; version?: string }
    const major = name === 'vitest' ? Number(version?.split('.')[0]) : NaN
    return Number.isInteger(major) ? major : null
  } catch {
    return null
  }
}

function realpath(file: string): string {
  try {
    return fs.realpathSync(file)
  } catch {
    return file
  }
}
