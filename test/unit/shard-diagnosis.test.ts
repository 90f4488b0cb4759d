import { describe, expect, test } from 'vitest'
import { DIAGNOSIS_INPUT_CHARS, describeDiagnosis, diagnoseShardLog, logLines } from '../../src/shared/shard-diagnosis.js'

// Lines as output.log holds them: `<time> <stream> <text>`.
const log = (...lines: Array<[string, string]>) => lines.map(([stream, text]) => `2026-12-07T02:12:55.590Z ${stream} ${text}`).join('\n')
const command = ['xtest', 'local: /usr/bin/node vitest.mjs run --config x --tagsFilter fast --bogus'] as [string, string]

describe('diagnoseShardLog: one class per cause, with Vitest own lines', () => {
  test.each([
    [
      'unknown-option',
      log(
        command,
        ['err', 'file:///x/cac.js:406'],
        ['err', 'CACError: Unknown option `--tagsFilter`'],
        ['err', '    at Command.check (x)'],
      ),
      'CACError: Unknown option `--tagsFilter`',
    ],
    [
      'unknown-option',
      log(['err', 'CACError: Expected a single value for option "--config", received [x, y]']),
      'CACError: Expected a single value',
    ],
    [
      'version-mismatch',
      log(['err', 'TypeError: Map.groupBy is not a function'], ['err', 'Node.js v20.20.2']),
      'Map.groupBy is not a function',
    ],
    [
      'config-error',
      log(
        ['err', 'failed to load config from /tmp/w/vitest.config.mjs'],
        ['err', ''],
        ['err', '⎯⎯⎯ Startup Error ⎯⎯⎯'],
        ['err', 'Error: boom'],
      ),
      'Error: boom',
    ],
    [
      'missing-module',
      log(['err', "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'left-pad' imported from /app/x.ts"]),
      "Cannot find package 'left-pad'",
    ],
    [
      'out-of-memory',
      log(['err', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory']),
      'JavaScript heap out of memory',
    ],
    [
      'error',
      log(['out', ' RUN  v4.1.0'], ['err', 'RangeError: Invalid array length'], ['err', '    at f (x)']),
      'RangeError: Invalid array length',
    ],
  ])('%s', (kind, text, said) => {
    const diagnosis = diagnoseShardLog(text)
    expect(diagnosis?.kind).toBe(kind)
    expect(diagnosis?.lines.join('\n')).toContain(said)
    expect(describeDiagnosis(diagnosis!)).toContain(said)
    expect(diagnosis?.lines.join('\n')).not.toMatch(/^\s*at |vitest\.mjs run/m) // never a stack frame, never the command
  })

  test('a write into the read-only repository names the folder for writable:', () => {
    const text = log(['err', "Error: ENOENT: no such file or directory, mkdir '/app/packages/a/coverage'"])
    const diagnosis = diagnoseShardLog(text, { readOnlyRepo: '/app', writableOf: (p) => p.replace('/app/packages/a/', '') })
    expect(diagnosis).toMatchObject({ kind: 'read-only-write' })
    expect(diagnosis?.hint).toContain("add 'coverage' to the container's writable:")
    // The same ENOENT with a writable repository is no read-only write.
    expect(diagnoseShardLog(text)?.kind).toBe('error')
    expect(diagnoseShardLog(log(['err', "Error: EROFS: read-only file system, open '/app/x/out.json'"]))?.hint).toContain("'/app/x'")
  })

  test('killed: the signal, with no output to quote', () => {
    expect(diagnoseShardLog('', { signal: 'SIGKILL' })).toMatchObject({ kind: 'killed', lines: [] })
    expect(diagnoseShardLog(log(['out', ' RUN  v4.1.0']))).toBeUndefined()
  })

  test('hostile log text: ANSI and control characters removed, lines and input capped, xtest lines ignored', () => {
    const evil = `\x1b[31mTypeError\x1b[0m: Map.groupBy is not a function\x07\u202e${'x'.repeat(5000)}`
    const diagnosis = diagnoseShardLog(log(['err', evil], ...Array.from({ length: 20 }, () => ['err', 'more'] as [string, string])))!
    expect(diagnosis.kind).toBe('version-mismatch')
    expect(diagnosis.lines.length).toBeLessThanOrEqual(6)
    for (const line of diagnosis.lines) {
      expect(line.length).toBeLessThanOrEqual(300)
      expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/)
    }
    expect(diagnoseShardLog(log(['xtest', 'TypeError: fake from xtest']))).toBeUndefined()
    const huge = `${log(['err', 'Error: early'])}\n${'y\n'.repeat(DIAGNOSIS_INPUT_CHARS)}`
    expect(logLines(huge).length).toBeLessThanOrEqual(DIAGNOSIS_INPUT_CHARS / 2 + 1)
  })

  test('random bytes never throw and never return more than 6 lines of 300 characters', () => {
    let seed = 7
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31)
    for (let round = 0; round < 200; round++) {
      const bytes = Buffer.from(Array.from({ length: next() % 4000 }, () => next() % 256))
      const text = `${bytes.toString('latin1')}\nError: x ${bytes.toString('utf8')}`
      const diagnosis = diagnoseShardLog(text, { readOnlyRepo: '/app', signal: round % 2 ? 'SIGKILL' : null })
      expect(diagnosis === undefined || diagnosis.lines.length <= 6).toBe(true)
      for (const line of diagnosis?.lines ?? []) expect(line.length).toBeLessThanOrEqual(300)
    }
  })
})
