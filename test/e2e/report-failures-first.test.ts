// What a user who has just seen a red run reads first: the test's failure (its whole diff, its own frames, the source
// around the failing line in the HTML) before xtest's own errors, counted apart from the tests; and where each
// container ran, with a last line when one that names an image ran on the host instead.
import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()
const NO_ENGINE = 'unix:///nonexistent-xtest/docker.sock'
// The diff Vitest prints for the fixture's failing assertion, every line of it.
// A stack frame of Vitest or of Node's internals (the JUnit report has them; the summaries do not).
const RUNNER_FRAME = /^\s*(?:at|❯) .*(?:@vitest\/|node_modules\/vitest\/|node:internal)/m
const DIFF_LINES = [
  '- Expected',
  '+ Received',
  '"id": 37,',
  '"name": "row 37",',
  '-     "value": 37,',
  '+     "value": "CHANGED",',
  '"id": 38,',
]

test('a failing assertion and a crashed shard: the test failure first and whole, shard errors apart, source in the HTML', async () => {
  const cwd = copyFixture('report-failures')
  const result = await runXtest(['run', '--runtime', 'local', '--summary', 'summary.md'], { cwd })
  expect(result.exitCode, result.stderr).toBe(1)
  const out = result.stdout
  expect(out).toMatch(/^xtest: FAILED: 1 failed, 0 errors, 1 passed, 0 skipped of 2 tests, 2 shard errors$/m)
  // Where each cell ran; --runtime local was asked for, so nothing fell back.
  expect(out).toMatch(/^crash +fast +local +killed, 2 shard errors /m)
  expect(out).toMatch(/^node24 +fast +local +failed /m)
  expect(out).not.toContain('not in node:24')
  // The test's failure before xtest's own, its diff whole, no frame of the runner.
  const failure = out.indexOf('FAIL node24/fast diff/long-diff.test.ts > a long diff (diff/long-diff.test.ts:10)')
  const shardError = out.indexOf("Shard errors (1): xtest's own, not test results:\n  ERROR crash/fast > [xtest] shard_crashed")
  expect(failure).toBeGreaterThan(-1)
  expect(shardError).toBeGreaterThan(failure)
  const excerpt = out.slice(failure, shardError)
  let at = 0
  for (const line of DIFF_LINES) {
    const found = excerpt.indexOf(line, at)
    expect(found, `${line} in order in\n${excerpt}`).toBeGreaterThan(at - 1)
    at = found
  }
  expect(excerpt).toMatch(/^ +at .*diff\/long-diff\.test\.ts:10:\d+$/m)
  expect(excerpt).not.toMatch(RUNNER_FRAME)

  const markdown = fs.readFileSync(path.join(cwd, 'summary.md'), 'utf8')
  expect(markdown).toContain('| ran on |')
  expect(markdown.indexOf('### Failures (1)')).toBeLessThan(markdown.indexOf("### Shard errors (1): xtest's own, not test results"))
  for (const line of DIFF_LINES) expect(markdown).toContain(line)
  expect(markdown).not.toMatch(RUNNER_FRAME)

  const html = fs.readFileSync(path.join(cwd, '.xtest/report.html'), 'utf8')
  expect(html).toContain('<mark>&gt; 10 |   expect(rows(37)).toEqual(rows(-1))</mark>')
  expect(html).toContain('id="total-shard-errors"><span class="value">2</span>')
  expect(html.indexOf('a long diff')).toBeLessThan(html.indexOf('[xtest] shard_crashed'))
  expect(html).toContain('class="cell-ran">local</span>')
  expect(html).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/)
})

test('runtime auto with no engine: the container that names node:24 runs on the host, and the final summary says so', async () => {
  const cwd = copyFixture('report-failures')
  const env = { CI: '', DOCKER_HOST: NO_ENGINE }
  const result = await runXtest(['run', '--container', 'node24', '--summary', 'summary.md'], { cwd, env })
  expect(result.exitCode, result.stderr).toBe(1)
  const fallback = new RegExp(
    `^WARNING: node24 ran on the host's Node v\\d+\\.\\d+\\.\\d+, not in node:24 — no container engine answered at ${NO_ENGINE}`,
    'm',
  )
  // After the table (the last thing the run prints about where it ran), not only in the first-line warning on stderr.
  expect(result.stdout).toMatch(fallback)
  expect(result.stdout.search(fallback)).toBeGreaterThan(result.stdout.search(/^total /m))
  expect(result.stdout).toMatch(/^node24 +fast +HOST v\d+\.\d+\.\d+, not node:24 +failed /m)
  expect(fs.readFileSync(path.join(cwd, 'summary.md'), 'utf8')).toMatch(/> \*\*WARNING: node24 ran on the host's Node v/)
  expect(fs.readFileSync(path.join(cwd, '.xtest/report.html'), 'utf8')).toContain(
    '<strong>Not in its image:</strong> node24 ran on the host',
  )

  // The merged JUnit carries it: a merge of CI parts says the same.
  const merged = await runXtest(['merge', '.xtest/junit.xml', '-o', 'merged.xml'], { cwd })
  expect(merged.exitCode, merged.stderr).toBe(1)
  expect(merged.stdout).toMatch(fallback)
  expect(merged.stdout).toMatch(/^node24 +fast +HOST v\d+\.\d+\.\d+, not node:24 +failed /m)
})
