import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import { repoRoot } from '../helpers/cli.js'

// A clone must pass its own tests: no test, benchmark or script may read a file beside the repository
// (the JUnit schema used to come from the shared folder beside the repo; it is vendored in test/schema/ now).
test('no test, benchmark, script or CI file refers to a folder outside the repository', () => {
  const files = execFileSync(
    'git',
    ['ls-files', '-co', '--exclude-standard', 'test', 'bench', 'scripts', '.ci', 'vitest.config.ts', 'package.json'],
    { cwd: repoRoot, encoding: 'utf8' },
  )
    .split('\n')
    .filter((file) => /\.(?:[cm]?[jt]s|sh|json)$|^\.ci\/run$/.test(file) && file !== 'test/unit/self-contained.test.ts')
  // Built from parts, so that this guard itself is not a reference to the folder it looks for.
  const outside = new RegExp(['\\.\\./' + 'shared/junit', '/work/(?:shared|main)\\b'].join('|'))
  const offenders = files.filter(
    (file) => fs.existsSync(path.join(repoRoot, file)) && outside.test(fs.readFileSync(path.join(repoRoot, file), 'utf8')),
  )
  expect(offenders).toEqual([])
  expect(fs.readFileSync(path.join(repoRoot, 'test/schema/junit-10.xsd'), 'utf8')).toContain('Copyright (c) 2014, Gregory Boissinot')
})

test('what Vitest 5 and xtest write is ignored by git, at the top and in fixtures run directly', () => {
  const paths = [
    '.vitest/junit/report.xml',
    'fixtures/monorepo/.vitest/json/output.json',
    '.xtest/junit.xml',
    'fixtures/monorepo/.xtest/runs/x/junit.xml',
  ]
  const ignored = execFileSync('git', ['check-ignore', '--no-index', ...paths], { cwd: repoRoot, encoding: 'utf8' })
    .trim()
    .split('\n')
  expect(ignored).toEqual(paths)
})
