// GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`) for failures.
import { posix } from 'node:path'
import { asWorkflowCommands, printableLines, type WorkflowCommands } from '../core/printable.js'
import { describeGroup } from './failure-groups.js'
import type { FailureGroup, FailureInfo, RunSummary } from './types.js'

export interface AnnotationOptions {
  /** Folder of the config root relative to the repository root, prepended to file paths. Default ''. */
  pathPrefix?: string
  /** At most this many annotations (GitHub shows 10 per step and 50 per job). Default 50. */
  max?: number
}

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeData, escapeProperty); the text
// loses escapes, controls and command markers first (its lines are printed as the annotation's message).
const escapeData = (text: string): string =>
  printableLines(text).join('\n').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')

/** One `::error` line. `line` only when the failure's stack trace names its file. */
function formatAnnotation(failure: FailureInfo, pathPrefix = ''): string {
  const properties: string[] = []
  if (failure.file !== undefined) {
    properties.push(`file=${escapeProperty(pathPrefix ? posix.join(pathPrefix, failure.file) : failure.file)}`)
    if (failure.line !== undefined) properties.push(`line=${failure.line}`)
  }
  const where = failure.container === '-' ? '' : `${failure.container}/${failure.tier}: `
  properties.push(`title=${escapeProperty(`${where}${failure.name}`)}`)
  const message = failure.message.trim() || failure.excerpt.split('\n')[0] || failure.type || 'failed'
  return `::error ${properties.join(',')}::${escapeData(message)}`
}

/** One `::error` line for files that have no result for one cause (a missing image: one line, not one per file). */
function formatGroupAnnotation(group: FailureGroup): string {
  return `::error title=${escapeProperty(`xtest: ${group.count} file(s) without a result`)}::${escapeData(describeGroup(group))}`
}

/**
 * Annotation lines for the run's failures (grouped stand-ins first), newline-terminated; empty when nothing failed.
 * The only text xtest writes as CI commands (`Output.commands`): every field from test data is escaped.
 */
export function formatAnnotations(summary: RunSummary, options: AnnotationOptions = {}): WorkflowCommands {
  const max = options.max ?? 50
  const all = [
    ...summary.failureGroups.map(formatGroupAnnotation),
    ...summary.failures.map((failure) => formatAnnotation(failure, options.pathPrefix)),
  ]
  const lines = all.slice(0, max)
  const more = all.length - max
  if (more > 0) lines.push(`::warning title=xtest::${more} more failures are not annotated; see ${escapeData(summary.outPath)}`)
  return asWorkflowCommands(lines.length === 0 ? '' : `${lines.join('\n')}\n`)
}
