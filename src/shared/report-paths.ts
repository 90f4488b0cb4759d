// Report paths checked before any work starts: a run that cannot write its report should fail in a second with one
// line, not after an hour of tests with a stack trace. The writers check again (a path can change meanwhile).
import fs from 'node:fs'
import path from 'node:path'
import { ConfigError, InfraError } from '../core/errors.js'
import { describeFileKind, describeFsError } from './write-faults.js'
import { type OutputWay, outputWayOf } from './write-output.js'

/**
 * Exit 2 for a path xtest will not write (a folder, a socket, a link to one: see write-output.ts), exit 3 for one the
 * file system will not let us write. Returns it resolved.
 */
export function checkReportPath(option: string, file: string): string {
  const resolved = path.resolve(file)
  let way: OutputWay
  try {
    way = outputWayOf(resolved)
  } catch (error) {
    const reason = (error as { reason?: string }).reason
    if (reason === undefined) throw error
    throw new ConfigError(`${option} ${file}: ${reason}; give a file path`, 'XTEST_REPORT_PATH')
  }
  // A file is replaced by a rename (its folder must be writable); what is written in place must be writable itself.
  if (way === 'in-place' || way === 'stream') ensureWritable(resolved, `${option} ${file}`)
  else checkFolder(path.dirname(resolved), `${option} ${file}`)
  return resolved
}

/** The folder (created on demand) that a run writes into, e.g. the config's outputDir. */
export function checkFolder(dir: string, what: string): void {
  let existing = dir
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing)
  const entry = statOrUndefined(existing)
  if (entry && !entry.isDirectory())
    throw new ConfigError(`${what}: ${existing} is ${describeFileKind(entry)}, not a folder`, 'XTEST_REPORT_PATH')
  ensureWritable(existing, what)
}

function ensureWritable(file: string, what: string): void {
  try {
    fs.accessSync(file, fs.constants.W_OK)
  } catch (error) {
    throw new InfraError(`${what}: cannot write ${file}: ${describeFsError(error)}`, 'XTEST_REPORT_UNWRITABLE')
  }
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file)
  } catch {
    return undefined
  }
}
