// Why a shard left no usable report, read from what Vitest printed (the tail of its output.log): a class, Vitest's own
// error lines and a hint, so that the first screen says why instead of "no JUnit file was written".
import type { ShardDiagnosis } from '../core/shard.js'
import { stripAnsi } from '../core/xml-text.js'

export interface DiagnoseOptions {
  /** Where the repository is mounted read-only in the shard (`/app`), when it is: writes there get the `writable:` hint. */
  readOnlyRepo?: string
  /** Turns a path the shard saw inside the read-only repository into the folder to name in `writable:`. */
  writableOf?(shardPath: string): string
  /** The signal the shard's process died of, if any. */
  signal?: string | null
}

/** At most this much of the log's end is read: the log is the shard's, hence hostile. */
export const DIAGNOSIS_INPUT_CHARS = 64 * 1024
const MAX_LINES = 6
const MAX_WIDTH = 300

// output.log's own prefix: `<ISO time> <stream> `.
const LOG_PREFIX = /^\d{4}-\d\d-\d\dT[\d:.]+Z (out|err|xtest) ?/
const STACK_FRAME = /^\s*(at |❯ |\d+\||\|)/
// A separator line, or the heading of a native stack ("----- Native stack trace -----").
const RULE = /^[\s⎯─━=-]*$|^\s*-{3,}/
const ERROR_LINE = /^\s*(?:[A-Z]\w*)?(?:Error|Exception)\b(?:\s*\[[A-Z_]+\])?:|\bERR_[A-Z_]+\b/

interface Rule {
  kind: ShardDiagnosis['kind']
  test: RegExp
  hint?(match: RegExpMatchArray, lines: string[], options: DiagnoseOptions): string | undefined
  /** Lines to show from the matched one: the error line that follows a heading such as "failed to load config". */
  follow?: boolean
}

const nodeVersionIn = (lines: string[]): string | undefined =>
  lines.map((line) => /^Node\.js (v\d+\.\d+\.\d+)/.exec(line)?.[1]).find(Boolean)

const RULES: Rule[] = [
  {
    kind: 'out-of-memory',
    test: /JavaScript heap out of memory|Reached heap limit|ERR_WORKER_OUT_OF_MEMORY|Allocation failed - /,
    hint: () => "raise the container's memory: limit, or find the test that holds on to memory",
  },
  {
    kind: 'version-mismatch',
    test: /\b(?:Map|Object|Array|Promise|Set|Iterator|Math|process|util)\.\w+ is not a function|\bstyleText is not a function|ERR_UNKNOWN_BUILTIN_MODULE|requires Node(?:\.js)? (?:version )?[v>=^\d]/,
    hint: (_match, lines) =>
      `the shard's Node${nodeVersionIn(lines) ? ` (${nodeVersionIn(lines)})` : ''} is too old for the installed Vitest: use an image whose Node satisfies vitest's engines.node`,
  },
  {
    kind: 'unknown-option',
    test: /Unknown option `[^`]+`|Expected a single value for option [^\s,]+/,
    hint: () =>
      'check the arguments after `--`: the installed Vitest does not take them as given (the Vitest config goes in `vitestConfig:`)',
  },
  {
    kind: 'read-only-write',
    test: /\b(EROFS|EACCES|EPERM|ENOENT)\b.*?\b(mkdir|open|write|rename|unlink|copyfile|rmdir|rm|symlink|utime|chmod|scandir)\b '([^']+)'/,
    hint: (match, _lines, options) => {
      // A folder it made, or the folder of a file it wrote.
      const target = /^(mkdir|rmdir|scandir)$/.test(match[2]!) ? match[3]! : match[3]!.replace(/\/[^/]*$/, '')
      const folder = options.writableOf?.(target) ?? target
      return `the repository is read-only in shards: add '${folder}' to the container's writable: list, or write under /tmp`
    },
  },
  {
    kind: 'missing-module',
    test: /Cannot find (?:module|package) '([^']+)'|Failed to load url (\S+)|Failed to resolve import "([^"]+)"/,
    hint: (match) =>
      `'${match[1] ?? match[2] ?? match[3]}' cannot be loaded in the shard: install it (and put it in the image, for Docker), or declare it with importOrSkip`,
  },
  {
    kind: 'config-error',
    test: /failed to load config from|Startup Error/,
    follow: true,
    hint: () => 'fix the Vitest config, or name the one shards use with vitestConfig:',
  },
]

/** One line of text from a shard (a log line, a test name) as xtest prints it: no ANSI, no control characters, capped. */
export function cleanLine(text: string, width = MAX_WIDTH): string {
  const line = stripAnsi(text)
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '')
    .trimEnd()
  return line.length > width ? `${line.slice(0, width - 1)}…` : line
}

/** Output lines of the shard's log (xtest's own lines left out), cleaned: no ANSI, no control characters, capped. */
export function logLines(tail: string): string[] {
  const text = tail.length > DIAGNOSIS_INPUT_CHARS ? tail.slice(-DIAGNOSIS_INPUT_CHARS) : tail
  const lines: string[] = []
  for (const raw of text.split('\n')) {
    const prefix = LOG_PREFIX.exec(raw)
    if (prefix?.[1] === 'xtest' || raw.startsWith('[xtest] ')) continue
    lines.push(cleanLine(prefix ? raw.slice(prefix[0].length) : raw))
  }
  return lines
}

// The matched line and the few that explain it, up to a stack frame or a blank line.
function excerpt(lines: string[], at: number, follow: boolean): string[] {
  const out = [lines[at]!.trim()]
  let index = at + 1
  if (follow) {
    // A heading ("failed to load config from …", "Startup Error"): the error line that follows, wherever it is.
    const error = lines.findIndex((line, i) => i > at && ERROR_LINE.test(line))
    if (error > 0) {
      out[0] = lines[error]!.trim()
      index = error + 1
    }
  }
  for (; index < lines.length && out.length < MAX_LINES; index++) {
    const line = lines[index]!
    if (line.trim() === '' || STACK_FRAME.test(line) || RULE.test(line)) break
    out.push(line.trim())
  }
  return out.filter((line) => !RULE.test(line) || line === '').slice(0, MAX_LINES)
}

/**
 * Classifies why a shard ended without a usable report from the tail of its output.log: Vitest's own error lines
 * (never xtest's command line) with a hint; undefined when the log says nothing that looks like an error.
 */
export function diagnoseShardLog(tail: string, options: DiagnoseOptions = {}): ShardDiagnosis | undefined {
  const lines = logLines(tail)
  for (const rule of RULES) {
    const at = lines.findIndex((line) => rule.test.test(line))
    if (at < 0) continue
    const match = lines[at]!.match(rule.test)!
    if (rule.kind === 'read-only-write' && !readOnlyWrite(match, options)) continue
    const hint = rule.hint?.(match, lines, options)
    return { kind: rule.kind, lines: excerpt(lines, at, rule.follow === true), ...(hint && { hint }) }
  }
  if (options.signal === 'SIGKILL' || lines.some((line) => line.trim() === 'Killed')) {
    return {
      kind: 'killed',
      lines: [],
      hint: 'something outside Vitest killed it (the memory limit, the OOM killer or a timeout)',
    }
  }
  const at = lines.findIndex((line) => ERROR_LINE.test(line))
  return at < 0 ? undefined : { kind: 'error', lines: excerpt(lines, at, false) }
}

// EROFS is a read-only file system wherever; the other codes only for a path inside the read-only repository.
function readOnlyWrite(match: RegExpMatchArray, { readOnlyRepo }: DiagnoseOptions): boolean {
  if (match[1] === 'EROFS') return true
  const target = match[3]!
  return readOnlyRepo !== undefined && (target === readOnlyRepo || target.startsWith(`${readOnlyRepo}/`))
}

const LABELS: Record<ShardDiagnosis['kind'], string> = {
  'unknown-option': 'Vitest refused its arguments',
  'config-error': 'the Vitest config failed to load',
  'version-mismatch': "Vitest cannot run on the shard's Node",
  'read-only-write': 'a write to the read-only repository failed',
  'missing-module': 'a module cannot be found',
  'out-of-memory': 'out of memory',
  killed: 'killed',
  error: 'Vitest failed before writing its report',
}

/** One line for the shard's cause: what went wrong and Vitest's own words. */
export function describeDiagnosis(diagnosis: ShardDiagnosis): string {
  const said = diagnosis.lines.find((line) => ERROR_LINE.test(line) || /Unknown option|Expected a single/.test(line)) ?? diagnosis.lines[0]
  return said ? `${LABELS[diagnosis.kind]}: ${said}` : LABELS[diagnosis.kind]
}
