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

// A comment that cites a document sends a maintainer to it: it must be one the repository has.
test('every Markdown document a source, test or bench file names is in the repository', () => {
  const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' }).split('\n')
  const documents = new Set(tracked.filter((file) => file.endsWith('.md')).map((file) => path.basename(file)))
  const cited = tracked
    .filter((file) => /^(?:src|test|bench|scripts)\/.*\.[cm]?[jt]s$/.test(file) && fs.existsSync(path.join(repoRoot, file)))
    .flatMap((file) =>
      [...fs.readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/\b[A-Z][A-Z0-9_-]*\.md\b/g)].map(([name]) => `${file}: ${name}`),
    )
  expect(cited.filter((entry) => !documents.has(entry.split(': ')[1]!))).toEqual([])
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
