import { PassThrough } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { Progress } from '../../src/cli/progress.js'
import { line, neutralizeText, printable, printableJson, printableLines } from '../../src/core/printable.js'
import type { ShardOutcome, ShardSpec } from '../../src/core/shard.js'
import { groupIssues } from '../../src/plan/group-issues.js'
import { formatAnnotations, formatSummaryMarkdown, formatSummaryText, type RunSummary } from '../../src/report/index.js'
import type { FailureInfo } from '../../src/report/types.js'
import { makeOutput } from '../../src/shared/output.js'
import { formatTable } from '../../src/shared/table.js'

// Text from tests reaches xtest's output: names, describe blocks, file names, failure messages. None of it may drive
// the terminal or be read as a CI command (GitHub's `::cmd::` at a line start and `##[`, Azure's `##vso[`, TeamCity's
// `##teamcity[` anywhere); xtest's own annotations are the only commands it prints.

/** What no printed line may hold. */
const ESCAPE_OR_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/
const HASH_COMMAND = /##\s*(vso|teamcity)?\s*\[/i
const startsCommand = (text: string): boolean => /^\s*::/.test(text)

/** Every problem of `text` as printed lines; `own` tells xtest's own command lines. */
function problems(text: string, own: (line: string) => boolean = () => false): string[] {
  const found: string[] = []
  for (const printed of text.split('\n')) {
    if (ESCAPE_OR_CONTROL.test(printed)) found.push(`escape or control: ${JSON.stringify(printed)}`)
    if (HASH_COMMAND.test(printed)) found.push(`## command: ${JSON.stringify(printed)}`)
    if (startsCommand(printed) && !own(printed)) found.push(`starts a command: ${JSON.stringify(printed)}`)
  }
  return found
}

describe('printable', () => {
  test('escape sequences, controls and invisible characters go; a line break cannot start a line', () => {
    expect(printable('a\x1b]52;c;SGVsbG8=\x07b\x1b]0;title\x1b\\c\x1b[2Jd\x9b31me\x9d0;t\x9cf\x1bPq#0\x1b\\g\x1b_apc\x07h')).toBe(
      'abcdefgh',
    )
    expect(printable('x\x00\x07\x08\x7f\x85\x90y')).toBe('x⏎y')
    expect(printable('one\ntwo\r\nthree\u2028four')).toBe('one⏎two⏎three⏎four')
    expect(printable('admin\u202e \u2066// check later\u2069 \u202c')).toBe('admin // check later ')
    // An unterminated OSC loses its introducer: what follows is plain text.
    expect(printable('\x1b]0;no end')).toBe('0;no end')
  })

  test('CI command markers are neutralised', () => {
    expect(printable('::add-mask::secret')).toBe('\\::add-mask::secret')
    expect(printable('  \u00a0::stop-commands::x')).toBe('  \u00a0\\::stop-commands::x')
    expect(printable('a ::error::b')).toBe('a ::error::b')
    expect(printable('x ##[warning]w ##vso[task.setvariable variable=A]1 ##teamcity[message]')).toBe(
      'x # #[warning]w # #vso[task.setvariable variable=A]1 # #teamcity[message]',
    )
    expect(printable('#\u200b#[error]')).toBe('# #[error]')
    expect(printableLines('x\n  ::add-mask::y\n##[group]')).toEqual(['x', '  \\::add-mask::y', '# #[group]'])
    expect(neutralizeText('ok\n::set-output name=a::b\n')).toBe('ok\n\\::set-output name=a::b\n')
    expect(line`${'::a'} ${2} ${'b\nc'}`).toBe('\\::a 2 b⏎c')
  })

  test('printableJson: the same value, nothing the guard would change', () => {
    const value = { file: 'a##[x]\u202e\x85\u2028\x1b[2J.ts', n: 1 }
    const json = printableJson(value, 2)
    expect(JSON.parse(json)).toEqual(value)
    expect(neutralizeText(json)).toBe(json)
  })
})

describe('the output guard', () => {
  function capture(env: NodeJS.ProcessEnv) {
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    const text = { stdout: '', stderr: '' }
    stdout.on('data', (chunk) => (text.stdout += chunk))
    stderr.on('data', (chunk) => (text.stderr += chunk))
    return { out: makeOutput({ stdout, stderr, env }), text }
  }

  test('on GitHub Actions, everything else is inside ::stop-commands::, the annotations outside', () => {
    const { out, text } = capture({ GITHUB_ACTIONS: 'true' })
    out.stderr.write('xtest: warning: src/\x1b]0;t\x07::add-mask::x\n')
    out.stdout.write('summary\n::set-output name=a::b\n')
    out.commands(formatAnnotations(summaryWith([failure('::add-mask::n', 'm\n::stop-commands::z')])))
    out.stdout.write('after\n')
    out.release()
    // The stop goes on stderr (stdout stays pure data), the resume on stdout right before the annotations.
    const err = text.stderr.split('\n')
    const token = /^::stop-commands::([0-9a-f]{32})$/.exec(err[0]!)?.[1]
    expect(token).toBeDefined()
    expect(err[1]).toBe('xtest: warning: src/::add-mask::x')
    const second = /^::stop-commands::([0-9a-f]{32})$/.exec(err[2]!)?.[1]
    expect(second).toBeDefined()
    expect(second).not.toBe(token)
    expect(err.slice(3)).toEqual([`::${second}::`, ''])
    const lines = text.stdout.split('\n')
    expect(lines.slice(0, 3)).toEqual(['summary', '\\::set-output name=a::b', `::${token}::`])
    expect(lines[3]).toMatch(/^::error file=src\/a\.test\.ts,title=amp\/fast%3A %3A%3Aadd-mask%3A%3An::m%0A\\::stop-commands::z$/)
    expect(lines.slice(4)).toEqual(['after', ''])
  })

  test('a marker split over two writes is neutralised too', () => {
    const { out, text } = capture({})
    for (const chunk of ['a #', '#vso[x]', ' #', '[warning]', '\n', '  ', '::add-mask::y\n']) out.stderr.write(chunk)
    expect(text.stderr).toBe('a # #vso[x] # [warning]\n  \\::add-mask::y\n')
  })

  test('the live progress frame (past the guard) carries the cursor moves of xtest, none from test data', () => {
    const terminal = new PassThrough()
    let frames = ''
    terminal.on('data', (chunk) => (frames += chunk))
    const out = { ...makeOutput({ stdout: new PassThrough(), stderr: new PassThrough() }), terminal }
    const progress = new Progress(out, { mode: 'tty', tickMs: 60_000 })
    const hostile = 'x\x1b]52;c;SGVsbG8=\x07\x1b]0;t\x07\x1b[2J\n::add-mask::y'
    progress.start({ id: hostile, files: ['a'] } as unknown as ShardSpec)
    progress.notice(`xtest: ${hostile}`)
    progress.end({ id: hostile, exitCode: 1, durationMs: 5, cause: hostile } as ShardOutcome)
    progress.stop()
    expect(frames).toContain('x⏎::add-mask::y')
    // What remains are cursor moves (up, then to the line's start), line clears and the cursor's visibility.
    expect(frames.replace(/\x1b\[(\d*A\r?|K|\?25[hl])/g, '').match(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/g)).toBeNull()
  })

  test('elsewhere (Azure Pipelines, TeamCity, a terminal): no wrapping, the markers neutralised all the same', () => {
    for (const env of [{ TF_BUILD: 'True' }, { TEAMCITY_VERSION: '2025.1' }, {}]) {
      const { out, text } = capture(env)
      out.stdout.write('##vso[task.setvariable variable=A]1\n ##teamcity[x]\n::add-mask::y\x1b[2J\n')
      out.release()
      expect(text.stdout).toBe('# #vso[task.setvariable variable=A]1\n # #teamcity[x]\n\\::add-mask::y\n')
    }
  })
})

function failure(name: string, message: string, file = 'src/a.test.ts'): FailureInfo {
  return {
    container: 'amp',
    tier: 'fast',
    suite: file,
    classname: file,
    name,
    file,
    result: 'failed',
    type: 'Error',
    message,
    excerpt: message,
  }
}

function summaryWith(failures: FailureInfo[], extra: Partial<RunSummary> = {}): RunSummary {
  const counts = { tests: failures.length, passed: 0, failed: failures.length, skipped: 0, errors: 0, time: 1 }
  return {
    outPath: '.xtest/junit.xml',
    shards: [],
    rows: [{ container: 'amp', tier: 'fast', statuses: ['failed'], counts }],
    totals: counts,
    slowestFiles: [],
    failures,
    failureGroups: [],
    notes: [],
    interrupted: false,
    ...extra,
  }
}

// Seeded: a failure prints its seed, and the same seed replays it.
function prng(seed: number) {
  let s = seed >>> 0
  return (n: number): number => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (((t ^ (t >>> 14)) >>> 0) % n) as number
  }
}

const PIECES = [
  '::stop-commands::tok',
  '::add-mask::',
  '::set-output name=x::',
  '::error file=a,line=1::',
  '##[warning]',
  '##[group]',
  '##vso[task.setvariable variable=X]',
  '##VSO[task.complete result=Succeeded;]',
  "##teamcity[buildStatus text='x']",
  '\x1b]52;c;SGVsbG8=\x07',
  '\x1b]0;title\x1b\\',
  '\x1b[2J',
  '\x1b[31m',
  '\x1b[',
  '\x1b]8;;http://x\x07',
  '\x1bP1$r\x1b\\',
  '\x1b_apc\x07',
  '\x9b2J',
  '\x9d0;t\x9c',
  '\x90q\x9c',
  '\x1b',
  '\n',
  '\r',
  '\r\n',
  '\x85',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u200b',
  '\ufeff',
  '\x00',
  '\x7f',
  '\t',
  ' ',
  '\u00a0',
  '#',
  ':',
  '[',
  'a',
  'test',
  'é',
  '😀',
  '%',
  ',',
]

function randomText(next: (n: number) => number, max = 8): string {
  let text = ''
  for (let count = next(max) + 1; count > 0; count--) {
    const piece = PIECES[next(PIECES.length)]!
    text += next(4) === 0 ? piece.slice(0, next(piece.length) + 1) : piece
  }
  return text
}

test('property: no printer lets test data start a command or carry an escape (300 random reports)', () => {
  const base = Number(process.env.XTEST_PROPERTY_SEED ?? Date.now() % 1_000_000)
  for (let run = 0; run < 300; run++) {
    const seed = base + run
    const next = prng(seed)
    const files = Array.from({ length: next(3) + 1 }, () => `src/${randomText(next, 4)}.test.ts`)
    const failures = Array.from({ length: next(4) + 1 }, () => ({
      ...failure(`${randomText(next)} > ${randomText(next)}`, randomText(next, 12), files[next(files.length)]!),
      suite: randomText(next),
      excerpt: randomText(next, 16),
      ...(next(3) === 0 ? { quarantine: randomText(next) } : {}),
    }))
    const summary = summaryWith(failures, {
      outPath: `.xtest/${randomText(next, 3)}.xml`,
      slowestFiles: files.map((file) => ({ container: 'amp', tier: 'fast', file, time: 1 })),
      failureGroups: [
        {
          type: 'xtest.crashed',
          cause: randomText(next),
          count: 2,
          examples: files.map((file) => ({ container: 'amp', tier: 'fast', file })),
        },
      ],
      notes: [randomText(next)],
      flaky: [{ test: randomText(next), rate: 0.5, recent: 'PF' }],
      quarantined: failures.filter((each) => each.quarantine !== undefined),
    })
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    let printed = ''
    stdout.on('data', (chunk) => (printed += chunk))
    stderr.on('data', (chunk) => (printed += chunk))
    const out = makeOutput({ stdout, stderr, env: { GITHUB_ACTIONS: 'true' } })
    // What the CLI prints: the summary, plan tables and warnings, progress lines, then the annotations.
    out.stdout.write(`${formatSummaryText(summary)}\n`)
    out.stdout.write(
      `${formatTable(
        ['file', 'container', 'tier', 'reason'],
        files.map((file) => [file, 'amp', 'fast', randomText(next)]),
      )}\n`,
    )
    for (const warning of groupIssues(
      files.map((file) => ({ code: 'XTEST_FILE_UNASSIGNED' as const, file, message: `${file}: ${randomText(next)}` })),
    ))
      out.stderr.write(`xtest: warning: ${warning}\n`)
    const progress = new Progress(out, { mode: 'plain' })
    progress.start({ id: 'amp.fast', files } as unknown as ShardSpec)
    progress.end({ id: 'amp.fast', exitCode: 1, durationMs: 5, cause: randomText(next) } as ShardOutcome)
    progress.stop()
    const annotations = formatAnnotations(summary)
    out.commands(annotations)
    // As written: a lone surrogate (half an emoji) is U+FFFD in UTF-8.
    const written = Buffer.from(annotations).toString()
    out.release()
    const tokens = new Set([...printed.matchAll(/^::stop-commands::([0-9a-f]{32})$/gm)].map((match) => match[1]))
    const own = (text: string) =>
      /^::stop-commands::[0-9a-f]{32}$/.test(text) ||
      (/^::([0-9a-f]{32})::$/.test(text) && tokens.has(text.slice(2, -2))) ||
      (written.includes(`${text}\n`) && /^::(error|warning) /.test(text))
    const found = problems(printed, own)
    // Every annotation is one line whose fields carry no raw line break or escape.
    for (const annotation of written.trimEnd().split('\n'))
      if (!/^::(error|warning) [^:]*::/.test(annotation)) found.push(`malformed annotation: ${JSON.stringify(annotation)}`)
    // The Markdown summary (GITHUB_STEP_SUMMARY) is a file, not a log: escapes and controls are what matter there.
    const markdown = formatSummaryMarkdown(summary)
    if (ESCAPE_OR_CONTROL.test(markdown)) found.push('escape or control in the Markdown summary')
    expect(found, `seed ${seed} (replay: XTEST_PROPERTY_SEED=${seed})`).toEqual([])
  }
})

test('property: the output guard skips only text its full pass would leave unchanged (3,000 random texts)', () => {
  const next = prng(20261207)
  for (let run = 0; run < 3000; run++) {
    // Hostile pieces, and any UTF-16 code unit at all: a character the quick check forgot would show here.
    const text =
      run % 2 === 0
        ? randomText(next, 12)
        : Array.from({ length: next(40) + 1 }, () => (next(3) === 0 ? String.fromCharCode(next(0x10000)) : 'a#: \t\n'[next(6)]!)).join('')
    // A leading NUL takes the full pass and is removed by it, changing nothing else.
    expect(neutralizeText(text), `run ${run}: ${JSON.stringify(text)}`).toBe(neutralizeText(`\u0000${text}`))
  }
})
