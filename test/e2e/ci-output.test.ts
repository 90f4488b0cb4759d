import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

// Test names, describe blocks, file names and failure messages are the test author's: through the real CLI, none of
// them may reach the terminal as an escape (OSC 52 writes the clipboard, OSC 0 the title, ESC[2J clears the screen)
// or the CI log as a command (`::stop-commands::` silenced every annotation after it).
const copyFixture = useTempFixtures()

const COMMANDS = [
  '::stop-commands::pwned',
  '::add-mask::secret',
  '::set-output name=x::y',
  '##[warning]w',
  '##vso[task.setvariable variable=X]1',
  "##teamcity[buildStatus text='x']",
]
const TERMINAL = ['\x1b]52;c;SGVsbG8=\x07', '\x1b]0;pwned\x07', '\x1b[2J']
// A file name may hold anything but `/` and NUL on Linux (Vite cannot load one with `#`).
const HOSTILE_FILE = `src/${TERMINAL.join('')}::add-mask::file\u202e.test.ts`

const ESCAPE_OR_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
const HASH_COMMAND = /##\s*(vso|teamcity)?\s*\[/i

/** Printed lines that carry an escape or a command marker, or start a command without being `allowed`. */
function offending(text: string, allowed: (line: string) => boolean = () => false): string[] {
  return text
    .split('\n')
    .filter((line) => ESCAPE_OR_CONTROL.test(line) || HASH_COMMAND.test(line) || (/^\s*::/.test(line) && !allowed(line)))
}

function hostileProject(): string {
  const dir = copyFixture('local-failures')
  fs.rmSync(path.join(dir, 'src'), { recursive: true, force: true })
  fs.mkdirSync(path.join(dir, 'src'))
  const names = JSON.stringify(COMMANDS)
  fs.writeFileSync(
    path.join(dir, 'src/commands.test.ts'),
    `import { describe, expect, test } from 'vitest'
const commands = ${names}
describe(commands.join(' '), () => {
  for (const command of commands) {
    test('\\n' + command, () => {
      throw new Error('failed:\\n' + command + '\\n  ' + command + '\\n${TERMINAL.map((each) => JSON.stringify(each).slice(1, -1)).join('')}')
    })
  }
  test('passes', () => expect(1).toBe(1))
})
`,
  )
  fs.writeFileSync(
    path.join(dir, HOSTILE_FILE),
    `import { test } from 'vitest'
test('in a hostile file', () => { throw new Error('${COMMANDS[0]}') })
`,
  )
  return dir
}

describe('GitHub Actions', () => {
  let result: Awaited<ReturnType<typeof runXtest>>
  let stepSummary = ''
  let dir = ''
  beforeAll(async () => {
    dir = hostileProject()
    const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-step-')), 'summary.md')
    result = await runXtest(['run'], {
      cwd: dir,
      env: { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile, GITHUB_WORKSPACE: dir },
    })
    stepSummary = fs.readFileSync(summaryFile, 'utf8')
  }, 120_000)

  test('everything is inside ::stop-commands:: with a random token; the annotations outside, one per failure', () => {
    expect(result.exitCode, result.stderr).toBe(1)
    // The stop is xtest's first line, on stderr (stdout stays pure data); the resume comes on stdout right before
    // the annotations.
    const token = /^::stop-commands::([0-9a-f]{32})$/.exec(result.stderr.split('\n')[0]!)?.[1]
    expect(token, result.stderr).toBeDefined()
    const lines = result.stdout.split('\n')
    const resume = lines.indexOf(`::${token}::`)
    expect(resume).toBeGreaterThan(0)
    expect(lines.slice(0, resume).filter((line) => line.startsWith('::'))).toEqual([])
    // The token is printed nowhere else (it cannot be guessed, and nothing echoes it).
    expect((result.stdout + result.stderr).split(token!).length - 1).toBe(2)
    const annotations = lines.slice(resume + 1).filter((line) => line.startsWith('::error '))
    expect(annotations.length).toBeGreaterThanOrEqual(COMMANDS.length + 1)
    for (const annotation of annotations) expect(annotation).toMatch(/^::error (file=[^,:]*,)?(line=\d+,)?title=[^:]*::/)
    expect(annotations.join('\n')).toContain('file=src/%3A%3Aadd-mask%3A%3Afile.test.ts')
    // Whatever xtest prints after them is stopped again, and commands work again when it exits.
    const last = result.stderr.trimEnd().split('\n').at(-1)!
    expect(last).toMatch(/^::[0-9a-f]{32}::$/)
    expect(result.stderr).toContain(`::stop-commands::${last.slice(2, -2)}`)
  })

  test('no other line starts a command or carries an escape, on stdout or stderr', () => {
    const own = (line: string) => /^::(stop-commands::)?[0-9a-f]{32}(::)?$/.test(line) || /^::error (file|title)=/.test(line)
    expect(offending(result.stdout, own)).toEqual([])
    expect(offending(result.stderr, own)).toEqual([])
    // The names are there, made inert: a line break in a test name does not start a line.
    expect(result.stdout).toContain('> ⏎::stop-commands::pwned')
    expect(result.stdout).toContain('\n      \\::stop-commands::pwned\n        \\::stop-commands::pwned\n')
    expect(result.stdout).toContain('src/::add-mask::file.test.ts')
    expect(result.stdout).toContain('# #vso[task.setvariable variable=X]1')
  })

  test('the step summary (Markdown) carries no escape or control', () => {
    expect(stepSummary).toContain('add-mask')
    expect(stepSummary).not.toMatch(ESCAPE_OR_CONTROL)
  })

  test('plan --files prints the hostile file name inert', async () => {
    const plan = await runXtest(['plan', '--files'], { cwd: dir, env: { CI: 'true', GITHUB_ACTIONS: 'true' } })
    expect(plan.exitCode, plan.stderr).toBe(0)
    expect(plan.stdout).toContain('src/::add-mask::file.test.ts')
    expect(offending(plan.stdout, (line) => /^::(stop-commands::)?[0-9a-f]{32}(::)?$/.test(line))).toEqual([])
    expect(offending(plan.stderr, (line) => /^::(stop-commands::)?[0-9a-f]{32}(::)?$/.test(line))).toEqual([])
    // --json keeps the exact name (escaped as JSON) and stays pure JSON on GitHub; nothing in it acts.
    const json = await runXtest(['plan', '--json'], { cwd: dir, env: { CI: 'true', GITHUB_ACTIONS: 'true' } })
    expect(JSON.parse(json.stdout).files.map((file: { path: string }) => file.path)).toContain(HOSTILE_FILE)
    expect(offending(json.stdout)).toEqual([])
  })
})

test.each([
  ['Azure Pipelines', { TF_BUILD: 'True', CI: '' }],
  ['TeamCity', { TEAMCITY_VERSION: '2025.1', CI: '' }],
  ['a terminal', { CI: '' }],
])('on %s: no line carries ##vso[, ##teamcity[, a command start or an escape', async (_name, env) => {
  const dir = hostileProject()
  const result = await runXtest(['run', '--runtime', 'local'], { cwd: dir, env })
  expect(result.exitCode, result.stderr).toBe(1)
  expect(result.stdout + result.stderr).not.toMatch(/^::stop-commands::/m)
  expect(result.stdout).toContain('# #vso[task.setvariable variable=X]1')
  expect(offending(result.stdout)).toEqual([])
  expect(offending(result.stderr)).toEqual([])
})

// A smaller random loop through the real CLI (the bulk is test/unit/printable.test.ts): reports merged from JUnit
// files (a shard writes its own: any text) and plans of files with random names. Seeded; the seed is in the message.
const PIECES = [
  ...COMMANDS,
  ...TERMINAL,
  '\x1b[',
  '\x9b2J',
  '\x9d0;t\x9c',
  '\n',
  '\r',
  '\u2028',
  '\u202e',
  '\u2066',
  '\t',
  ' ',
  '::',
  '##',
  '[',
  'a',
  'é',
]

function prng(seed: number) {
  let s = seed >>> 0
  return (n: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s >>> 8) % n
  }
}
const randomText = (next: (n: number) => number, max = 6): string =>
  Array.from({ length: next(max) + 1 }, () => PIECES[next(PIECES.length)]!).join('')
const attr = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')

test('property: merged reports and plans with random names print no escape and start no command', async () => {
  const base = Number(process.env.XTEST_PROPERTY_SEED ?? Date.now() % 1_000_000)
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-neutral-'))
  const gh = (file: string) => ({ CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: file })
  // xtest's own lines: the stop-commands tokens, and (xtest merge annotates too) its `::error` annotations, whose
  // properties are escaped (no raw `:` or `,` from the test's names) and whose message is data to GitHub.
  const own = (line: string) =>
    /^::(stop-commands::)?[0-9a-f]{32}(::)?$/.test(line) || /^::error (file=[^,:]*,)?(line=\d+,)?title=[^:,]*::/.test(line)
  const exits: number[] = []
  for (let run = 0; run < 12; run++) {
    const seed = base + run
    const next = prng(seed)
    const cases = Array.from({ length: next(4) + 1 }, () => {
      const message = randomText(next)
      return `<testcase classname="${attr(randomText(next))}" name="${attr(randomText(next))}" time="0.1"><failure message="${attr(message)}" type="Error">${attr(`${message}\n${randomText(next, 10)}`).replace(/>/g, '&gt;')}</failure></testcase>`
    })
    const junit = path.join(work, `in-${run}.xml`)
    fs.writeFileSync(
      junit,
      `<?xml version="1.0"?><testsuites><testsuite name="${attr(`src/${randomText(next)}.test.ts`)}" tests="${cases.length}" failures="${cases.length}">${cases.join('')}</testsuite></testsuites>`,
    )
    const summary = path.join(work, `summary-${run}.md`)
    const result = await runXtest(['merge', junit, '-o', path.join(work, `out-${run}.xml`)], { cwd: work, env: gh(summary) })
    const found = [...offending(result.stdout, own), ...offending(result.stderr, own)]
    if (fs.existsSync(summary) && ESCAPE_OR_CONTROL.test(fs.readFileSync(summary, 'utf8')))
      found.push('escape or control in the step summary')
    expect(found, `seed ${seed} (replay: XTEST_PROPERTY_SEED=${seed}), exit ${result.exitCode}`).toEqual([])
    exits.push(result.exitCode)
  }
  // The reports were read and summed up (exit 1: tests failed), not refused.
  expect(exits.filter((code) => code === 1).length, `exits ${exits}`).toBeGreaterThanOrEqual(10)
  const dir = copyFixture('local-failures')
  for (let run = 0; run < 3; run++) {
    const seed = base + 100 + run
    const next = prng(seed)
    fs.rmSync(path.join(dir, 'src'), { recursive: true, force: true })
    fs.mkdirSync(path.join(dir, 'src'))
    for (let file = 0; file < 4; file++) {
      const name = `${randomText(next).replace(/\//g, '|')}.test.ts`
      if (Buffer.byteLength(name) < 250) fs.writeFileSync(path.join(dir, 'src', name), '')
    }
    const result = await runXtest(['plan', '--files'], { cwd: dir, env: { CI: 'true', GITHUB_ACTIONS: 'true' } })
    const found = [...offending(result.stdout, own), ...offending(result.stderr, own)]
    expect(found, `seed ${seed} (replay: XTEST_PROPERTY_SEED=${seed - 100}), exit ${result.exitCode}`).toEqual([])
  }
}, 120_000)
