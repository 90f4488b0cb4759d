// One cause, one line: a one-character typo in an include glob leaves every file under it in no container, and
import { line, printable } from '../core/printable.js'
// printing one error per file buried the cause under 77 lines. Issues about files are grouped by their problem
// (the text after the file name), with a count and a few examples.
import type { PlanIssue } from './types.js'

const EXAMPLES = 3

/** Lines for a list of plan issues, one per distinct cause, in the order causes first appear. */
export function groupIssues(issues: readonly PlanIssue[]): string[] {
  const groups = new Map<string, { issue: PlanIssue; files: string[] }>()
  for (const issue of issues) {
    const prefix = issue.file === undefined ? undefined : `${issue.file}: `
    const cause = prefix && issue.message.startsWith(prefix) ? issue.message.slice(prefix.length) : undefined
    const key = cause === undefined ? `\0${issue.message}` : `${issue.code}\0${cause}`
    const group = groups.get(key)
    if (group) group.files.push(issue.file!)
    else groups.set(key, { issue, files: cause === undefined ? [] : [issue.file!] })
  }
  return [...groups.values()].map(({ issue, files }) => {
    if (files.length <= 1) return printable(issue.message)
    const cause = issue.message.slice(`${issue.file}: `.length)
    const more = files.length > EXAMPLES ? ` and ${files.length - EXAMPLES} more` : ''
    return line`${files.length} test files: ${cause} (e.g. ${files.slice(0, EXAMPLES).join(', ')}${more})`
  })
}
