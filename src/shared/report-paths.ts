// Report paths checked before any work starts: a run that cannot write its report should fail in a second with one
// line, not after an hour of tests with a stack trace. The writers check again (a path can change meanwhile).
import fs from 'node:fs'
import path from 'node:path'
import { ConfigError, InfraError } from '../core/errors.js'
import { describeFileKind, describeFsError } from './write-faults.js'

/**
 * `replace`: written as a temp file renamed over the target (--junit, merge -o): the target must be a regular file
 * or absent, and its folder writable. `write`: opened and written in place (--summary): anything but a folder,
 * writable (so `/dev/stdout` works; `/dev/full` fails when written, with one line).
 */
export type ReportWrite = 'replace' | 'write'

/** Exit 2 for a path of the wrong kind, exit 3 for one the file system will not let us write. Returns it resolved. */
export function checkReportPath(option: string, file: string, how: ReportWrite): string {
  const resolved = path.resolve(file)
  const target = statOrUndefined(resolved)
  if (target?.isDirectory() || (target && how === 'replace' && !target.isFile())) {
    throw new ConfigError(`${option} ${file}: ${describeFileKind(target)}, not a regular file; give a file path`, 'XTEST_REPORT_PATH')
  }
  if (target && how === 'write') {
    ensureWritable(resolved, `${option} ${file}`)
    return resolved
  }
  checkFolder(path.dirname(resolved), `${option} ${file}`)
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
