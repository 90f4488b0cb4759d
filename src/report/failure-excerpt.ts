// A failure's text as a summary shows it: the message, the assertion diff whole, then the test's own stack frames;
// the runner's frames are dropped as Vitest drops them, and escapes and controls never get through.
import { printableLines } from '../core/printable.js'

export interface ExcerptLimits {
  /** Lines of the message before the diff or the stack. */
  messageLines: number
  /** Lines of the diff kept (a longer diff says how many more the JUnit file has). */
  diffLines: number
  /** Stack frames kept, after the runner's are dropped. */
  frames: number
  /** Characters per line. */
  width: number
}

export const EXCERPT_LIMITS: ExcerptLimits = { messageLines: 6, diffLines: 200, frames: 3, width: 300 }

// Vitest's own list (defaultStackIgnorePatterns in @vitest/utils/source-map), and the same packages where they are
// installed rather than bundled: frames of the runner, its assertion libraries and Node's internals.
const RUNNER_FRAMES: ReadonlyArray<string | RegExp> = [
  'node:internal',
  /\/packages\/\w+\/dist\//,
  /\/@vitest\/[\w-]+\//,
  '/vitest/dist/',
  '/vitest/src/',
  '/node_modules/vitest/',
  '/node_modules/chai/',
  '/node_modules/tinyspy/',
  '/node_modules/tinypool/',
  '/vite/dist/node/module-runner',
  '/rolldown-vite/dist/node/module-runner',
  '/deps/chunk-',
  '/deps/@vitest',
  '/deps/loupe',
  '/deps/chai',
  /node:\w+/,
  /__vitest_test__/,
  /__vitest_browser__/,
  '/@id/__x00__vitest/browser',
  /\/deps\/vitest_/,
  // A frame without a place (`at new Promise (<anonymous>)`): Vitest's parser drops it too.
  /\(<anonymous>\)\s*$/,
]

const FRAME = /^\s*(?:at\s|❯\s)/
const DIFF_START = /^\s*- Expected\b/
const DIFF_SECOND = /^\s*\+ Received\b/
const CAUSE = /^\s*Caused by:/

/** A stack line of the runner (Vitest, its libraries, Node's internals), which Vitest does not show either. */
export const isRunnerFrame = (line: string): boolean =>
  RUNNER_FRAMES.some((pattern) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)))

const cut = (line: string, width: number): string => (line.length > width ? `${line.slice(0, width - 1)}…` : line)

function trimBlank(lines: string[]): string[] {
  let start = 0
  let end = lines.length
  while (start < end && lines[start]!.trim() === '') start++
  while (end > start && lines[end - 1]!.trim() === '') end--
  return lines.slice(start, end)
}

/** The diff's line range in `lines` (`- Expected`, `+ Received` and what follows up to a frame, a cause or the end). */
function findDiff(lines: readonly string[]): { start: number; end: number } | undefined {
  const start = lines.findIndex((line, index) => DIFF_START.test(line) && DIFF_SECOND.test(lines[index + 1] ?? ''))
  if (start === -1) return undefined
  let end = start + 2
  while (end < lines.length && !FRAME.test(lines[end]!) && !CAUSE.test(lines[end]!)) end++
  return { start, end }
}

/**
 * `body` (a JUnit failure body: stack and diff) cut for a summary: the message lines before the stack, the diff whole
 * up to `diffLines`, then the first `frames` frames that are not the runner's. Printable: no escape, no control.
 */
export function failureExcerpt(body: string, limits: ExcerptLimits = EXCERPT_LIMITS): string {
  const lines = printableLines(body)
  const diff = findDiff(lines)
  const firstFrame = lines.findIndex((line) => FRAME.test(line) || CAUSE.test(line))
  const messageEnd = Math.min(firstFrame === -1 ? lines.length : firstFrame, diff?.start ?? lines.length)
  const message = trimBlank(lines.slice(0, messageEnd))
  const out = message.slice(0, limits.messageLines)
  if (message.length > limits.messageLines) out.push(`… ${message.length - limits.messageLines} more message lines`)
  if (diff !== undefined) {
    const diffLines = trimBlank(lines.slice(diff.start, diff.end))
    out.push('', ...diffLines.slice(0, limits.diffLines))
    if (diffLines.length > limits.diffLines) out.push(`… ${diffLines.length - limits.diffLines} more diff lines in the JUnit report`)
  }
  const causeAt = lines.findIndex((line) => CAUSE.test(line))
  const frames = lines
    .slice(0, causeAt === -1 ? lines.length : causeAt)
    .filter((line, index) => FRAME.test(line) && !(diff && index >= diff.start && index < diff.end) && !isRunnerFrame(line))
  if (frames.length > 0) out.push(...(diff ? [''] : []), ...frames.slice(0, limits.frames).map((line) => line.trimEnd()))
  return out.map((line) => cut(line, limits.width)).join('\n')
}
