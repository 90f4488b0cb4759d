// xtest's own package folder, found from a module URL, so the CLI and the shard load the plugin that shipped with it.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * xtest's own package folder (package.json, dist/, config/), found upwards from a module's URL. The CLI is a
 * bundle with chunks in dist/chunks/, the library is tsc's output and the tests run the sources: each sits at
 * another depth, so no fixed `../..` is right for all three.
 */
export function findPackageRoot(moduleUrl: string): string {
  for (let dir = path.dirname(fileURLToPath(moduleUrl)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`)
  }
}

/** The `version` of xtest's package.json. */
export function readPackageVersion(moduleUrl: string): string {
  const file = path.join(findPackageRoot(moduleUrl), 'package.json')
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version
}
