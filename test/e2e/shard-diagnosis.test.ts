// A shard that ends without a report: the terminal, the Markdown summary, the HTML and the JUnit say what Vitest
// said (its own error line), not only "no JUnit file was written". Real shards on the local runtime.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

// What fixtures/diagnose's config calls that this Node lacks (the local shard runs on this Node).
const MISSING_BUILTIN = typeof (Map as { groupBy?: unknown }).groupBy === 'function' ? 'fromAFutureNode' : 'groupBy'
const copyFixture = useTempFixtures()
const cwd = copyFixture('diagnose')
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-diagnose-out-'))

async function runCase(name: string, env: Record<string, string>, args: string[] = []) {
  const files = { junit: path.join(out, `${name}.xml`), summary: path.join(out, `${name}.md`) }
  const result = await runXtest(['run', '--junit', files.junit, '--summary', files.summary, ...args], { cwd, env })
  return {
    ...result,
    terminal: `${result.stderr}\n${result.stdout}`,
    junit: fs.readFileSync(files.junit, 'utf8'),
    summary: fs.readFileSync(files.summary, 'utf8'),
  }
}

describe('the first screen says why a shard left no report', () => {
  test.each([
    ['unknown option', {}, ['--', '--bogusOption'], 'Vitest refused its arguments: CACError: Unknown option `--bogusOption`'],
    [
      'Vitest/Node mismatch',
      { DIAG_CASE: 'groupby' },
      [],
      `Vitest cannot run on the shard's Node: TypeError: Map.${MISSING_BUILTIN} is not a function`,
    ],
    ['config error', { DIAG_CASE: 'throw' }, [], 'the Vitest config failed to load: Error: config exploded on purpose'],
    [
      'missing module',
      { DIAG_CASE: 'missing' },
      [],
      "a module cannot be found: Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'xtest-not-a-real-package'",
    ],
    [
      'out of memory',
      { DIAG_CASE: 'oom', NODE_OPTIONS: '--max-old-space-size=64' },
      [],
      'out of memory: FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
    ],
  ])('%s', async (name, env, args, said) => {
    const result = await runCase(name.replace(/\W+/g, '-'), env, args)
    expect(result.exitCode, result.terminal).toBe(1)
    expect(result.stderr).toMatch(new RegExp(`^done   ok\\.fast in [^:]+: .*${escapeRegExp(said)}`, 'm'))
    expect(result.stdout).toContain('Vitest said:')
    expect(result.stdout).toContain(said)
    expect(result.summary).toContain(said.slice(said.indexOf(': ') + 2, said.indexOf(': ') + 40))
    expect(result.junit).toContain(xml(said))
    const html = fs.readFileSync(path.join(cwd, '.xtest/report.html'), 'utf8')
    expect(html).toContain(xml(said.slice(said.indexOf(': ') + 2)))
  })

  test('killed: the signal is named and the hint says who kills', async () => {
    const result = await runCase('killed', { DIAG_CASE: 'kill' })
    expect(result.exitCode, result.terminal).toBe(1)
    expect(result.stdout).toContain('crashed (no exit code, SIGKILL)')
    expect(result.stdout).toContain('hint: something outside Vitest killed it')
  })
})

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')
