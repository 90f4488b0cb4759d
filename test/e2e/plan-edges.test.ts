import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { groupIssues } from '../../src/plan/group-issues.js'
import { repoRoot, runXtest } from '../helpers/cli.js'

// Issue 11, groups 13 and 14: edges of planning that were silent or noisy.
const dirs: string[] = []
afterAll(() => { for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true }) })

/** A project in a temp dir from a map of files (node_modules linked). */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-edges-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), text)
  }
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'))
  return dir
}
const passing = "import { test } from 'vitest'\ntest('ok', () => {})\n"

describe('glob typo noise', () => {
  test('a one-character glob typo is one line per cause, with a count and examples, not one per file', async () => {
    const files: Record<string, string> = {
      'xtest.config.json': JSON.stringify({ containers: { app: { runtime: 'local', include: ['src/**'] }, opt: { runtime: 'local', include: ['optimiser/**'] } } }),
      'src/a.test.ts': passing,
    }
    for (let i = 0; i < 77; i++) files[`optimizer/t${String(i).padStart(2, '0')}.test.ts`] = passing
    const dir = project(files)
    for (const args of [['plan'], ['run']]) {
      const { stderr, exitCode } = await runXtest(args, { cwd: dir })
      expect(exitCode).toBe(2)
      const lines = stderr.trim().split('\n').filter((line) => !line.startsWith('xtest: warning:'))
      expect(lines).toEqual([
        "xtest: 77 test files: routed to no container (app: not in include 'src/**'; opt: not in include 'optimiser/**'); add it to a container's include or pin it with /** @xtest-container NAME */ (e.g. optimizer/t00.test.ts, optimizer/t01.test.ts, optimizer/t02.test.ts and 74 more)",
      ])
      expect(stderr).toContain("xtest: warning: containers.opt.include[0]: 'optimiser/**' matches no test file")
    }
  })

  test('grouping keeps distinct causes apart and single files as they were', () => {
    const issue = (file: string, problem: string, code = 'XTEST_FILE_UNASSIGNED') => ({ code, file, message: `${file}: ${problem}` })
    expect(groupIssues([issue('a', 'p1'), issue('b', 'p2'), issue('c', 'p1'), { code: 'X', message: 'no file' }])).toEqual([
      '2 test files: p1 (e.g. a, c)', 'b: p2', 'no file',
    ])
  })
})
