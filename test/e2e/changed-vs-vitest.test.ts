// `xtest plan --changed` never selects less than Vitest's own `--changed`. A generated git history (tsconfig paths
// aliases, package exports and #imports, index files and trailing slashes, ?raw, import.meta.glob, vi.mock, dynamic
// import(), renames and deletions) is replayed: for each commit, the files `vitest list --changed <parent>` selects
// (the repository's installed Vitest, 4.1 or 5) must be among those xtest selects. Nothing outside the repository
// is read, nothing is fetched.

import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { expect, test } from 'vitest'
import { plan } from '../../src/index.js'
import { addNodeModules, git, useGitRepos, writeFiles } from '../helpers/changed-repo.js'
import { repoRoot } from '../helpers/cli.js'

const makeRepo = useGitRepos()
const vitestEntry = path.join(repoRoot, 'node_modules/vitest/vitest.mjs')
const testFile = (imports: string, body = '') =>
  `import { expect, test } from 'vitest'\n${imports}\ntest('it', async () => {\n  ${body}\n  expect(1).toBe(1)\n})\n`
const bump = (text: string | undefined, n: number) => `${text ?? ''}export const v${n} = ${n}\n`

const INITIAL: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'hist', private: true, type: 'module', imports: { '#internal/*': './src/internal/*.ts' } }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'preserve', paths: { '@lib/*': ['./src/lib/*'] } } }),
  'vitest.config.mjs': [
    "import { fileURLToPath } from 'node:url'",
    "export default { resolve: { alias: { '@lib': fileURLToPath(new URL('./src/lib', import.meta.url)) } }, test: {} }",
    '',
  ].join('\n'),
  'xtest.config.json': JSON.stringify({ containers: { host: { runtime: 'local' } } }),
  'packages/pkg/package.json': JSON.stringify({
    name: '@hist/pkg',
    type: 'module',
    exports: { '.': './src/index.ts', './feature/*': './src/feature/*.ts' },
  }),
  'packages/pkg/src/index.ts': 'export const pkg = 1\n',
  'packages/pkg/src/feature/a.ts': "export const a = 'a'\n",
  'src/index.ts': "export * from './util.js'\nexport const root = 1\n",
  'src/util.ts': 'export const util = (x: number) => x + 1\n',
  'src/lib/math.ts': "import { deep } from './deep'\nexport const add = (a: number, b: number) => a + b + deep\n",
  'src/lib/deep.ts': 'export const deep = 0\n',
  'src/internal/secret.ts': "export const secret = 's'\n",
  'src/data.txt': 'hello\n',
  'src/pages/a.ts': "export default 'a'\n",
  'src/pages/b.ts': "export default 'b'\n",
  'src/mocked.ts': 'export const real = () => 1\n',
  'src/lazy.ts': 'export const lazy = 1\n',
  'test/index.test.ts': testFile("import { root } from '../src/'", 'expect(root).toBe(1)'),
  'test/math.test.ts': testFile("import { add } from '@lib/math'", 'expect(add(1, 1)).toBe(2)'),
  'test/secret.test.ts': testFile("import { secret } from '#internal/secret'", 'expect(secret).toBeTruthy()'),
  'test/pkg.test.ts': testFile("import { pkg } from '@hist/pkg'\nimport { a } from '@hist/pkg/feature/a'", 'expect([pkg, a]).toBeTruthy()'),
  'test/raw.test.ts': testFile("import data from '../src/data.txt?raw'", 'expect(data).toBeTruthy()'),
  'test/glob.test.ts': testFile("const pages = import.meta.glob('../src/pages/*.ts', { eager: true })", 'expect(pages).toBeTruthy()'),
  'test/mock.test.ts': testFile(
    "import { vi } from 'vitest'\nimport { real } from '../src/mocked'\nvi.mock('../src/mocked', () => ({ real: () => 2 }))",
    'expect(real()).toBe(2)',
  ),
  'test/lazy.test.ts': testFile('', "const { lazy } = await import('../src/lazy.js')\n  expect(lazy).toBe(1)"),
  'test/plain.test.ts': testFile(''),
}

// Each commit's edits: text, null (delete), or a function of the current text (append a line).
type Edit = string | null | ((text: string | undefined, n: number) => string)
const HISTORY: Array<Record<string, Edit>> = [
  { 'src/lib/deep.ts': bump },
  { 'src/index.ts': bump },
  { 'src/util.ts': bump },
  { 'src/internal/secret.ts': bump },
  { 'packages/pkg/src/index.ts': bump },
  { 'packages/pkg/src/feature/a.ts': bump },
  { 'src/data.txt': (text) => `${text}more\n` },
  { 'src/pages/c.ts': "export default 'c'\n" },
  { 'src/pages/a.ts': bump },
  { 'src/pages/b.ts': null },
  { 'src/mocked.ts': bump },
  { 'src/lazy.ts': bump },
  { 'README.md': '# hist\n' },
  // A rename: the old name is deleted, the importer edited.
  {
    'src/util.ts': null,
    'src/helpers.ts': 'export const util = (x: number) => x + 2\n',
    'src/index.ts': "export * from './helpers.js'\nexport const root = 1\n",
  },
  { 'test/plain.test.ts': (text) => `${text}// edited\n` },
  { 'test/new.test.ts': testFile("import { deep } from '@lib/deep'", 'expect(deep).toBe(0)') },
  { 'src/lib/deep.ts': bump },
  { 'test/new.test.ts': null },
  {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'preserve', paths: { '@lib/*': ['./src/lib/*'], '@src/*': ['./src/*'] } },
    }),
  },
  {
    'src/lib/extra.ts': 'export const extra = 1\n',
    'src/lib/math.ts': (text) => `import { extra } from './extra.js'\n${text}export const e = extra\n`,
  },
  { 'src/lib/extra.ts': bump },
  { 'package.json': (text) => text!.replace('"private":true', '"private":true,"description":"x"') },
  { 'packages/pkg/package.json': (text) => text!.replace('"type"', '"description":"x","type"') },
  { 'vitest.config.mjs': (text) => `${text}// edited\n` },
  {
    'src/internal/secret.ts': null,
    'src/internal/hidden.ts': "export const secret = 'h'\n",
    'test/secret.test.ts': testFile("import { secret } from '#internal/hidden'", 'expect(secret).toBeTruthy()'),
  },
  { 'src/helpers.ts': bump },
  { 'docs/notes.md': 'notes\n' },
  { 'src/pages/d.ts': "export default 'd'\n", 'src/mocked.ts': bump },
  { 'src/lib/math.ts': bump },
  {
    'test/glob.test.ts': testFile(
      "const pages = import.meta.glob(['../src/pages/*.ts', '!../src/pages/d.ts'], { eager: true })",
      'expect(pages).toBeTruthy()',
    ),
  },
  { 'src/pages/d.ts': bump },
  { 'src/index.ts': bump, 'src/lazy.ts': bump },
]

// A checkout of each commit, with a node_modules of its own that links the workspace package as npm would.
async function checkout(repo: string, sha: string, n: number): Promise<string> {
  const dir = path.join(repo, '.wt', String(n))
  await git(repo, 'worktree', 'add', '-q', '--detach', dir, sha)
  addNodeModules(dir, 'link')
  fs.mkdirSync(path.join(dir, 'node_modules/@hist'))
  fs.symlinkSync('../../packages/pkg', path.join(dir, 'node_modules/@hist/pkg'))
  return dir
}

async function vitestSelection(dir: string, since: string): Promise<string[]> {
  const run = await execa('node', [vitestEntry, 'list', '--changed', since, '--filesOnly', '--json'], {
    cwd: dir,
    reject: false,
    env: { NO_COLOR: '1', CI: 'true' },
  })
  expect(run.exitCode, `vitest list in ${dir}: ${run.stderr}`).toBe(0)
  const listed = JSON.parse(run.stdout.slice(run.stdout.indexOf('['))) as Array<{ file: string }>
  return [...new Set(listed.map((each) => path.relative(dir, each.file).split(path.sep).join('/')))].sort()
}

// The library's plan(), the function behind `xtest plan`: one process instead of one per commit.
async function xtestSelection(dir: string, since: string): Promise<string[]> {
  const result = await plan({ cwd: dir, changed: since, onWarning: () => {} })
  return [...new Set(result.prepared.plan.shards.flatMap((shard) => shard.files))].sort()
}

// At most `limit` at a time: each call starts a Vitest process.
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!)
    }),
  )
}

test('for each of 32 commits, xtest --changed selects every file Vitest --changed selects', async () => {
  const repo = await makeRepo({ ...INITIAL, '.gitignore': 'node_modules\n.xtest\n.vitest\n.wt\n' })
  const shas = [(await git(repo, 'rev-parse', 'HEAD')).stdout.trim()]
  const current = { ...INITIAL } as Record<string, string | undefined>
  for (const [i, edits] of HISTORY.entries()) {
    const written: Record<string, string | null> = {}
    for (const [file, edit] of Object.entries(edits)) {
      const text = typeof edit === 'function' ? edit(current[file], i) : edit
      written[file] = text
      current[file] = text ?? undefined
    }
    writeFiles(repo, written)
    await git(repo, 'add', '-A')
    await git(repo, 'commit', '-qm', `step ${i + 1}`)
    shas.push((await git(repo, 'rev-parse', 'HEAD')).stdout.trim())
  }
  expect(shas.length - 1).toBeGreaterThanOrEqual(30)

  const results: Array<{ n: number; vitest: string[]; xtest: string[]; missing: string[] }> = []
  await eachLimited(
    shas.slice(1).map((sha, i) => ({ sha, parent: shas[i]!, n: i + 1 })),
    4,
    async ({ sha, parent, n }) => {
      const dir = await checkout(repo, sha, n)
      const [vitest, xtest] = await Promise.all([vitestSelection(dir, parent), xtestSelection(dir, parent)])
      results.push({ n, vitest, xtest, missing: vitest.filter((file) => !xtest.includes(file)) })
    },
  )
  results.sort((a, b) => a.n - b.n)
  if (process.env.XTEST_DEBUG_CHANGED) fs.writeFileSync(process.env.XTEST_DEBUG_CHANGED, JSON.stringify(results, null, 1))
  expect(results.filter((each) => each.missing.length > 0)).toEqual([])
  // Most commits select something in Vitest (`vitest list` applies no forceRerunTriggers: a package.json, config
  // or tsconfig change selects nothing there), so the comparison has teeth.
  expect(results.filter((each) => each.vitest.length > 0).length).toBeGreaterThanOrEqual(20)
  // Where Vitest selects nothing, xtest still does: a ?raw file changed, a file a glob matched was deleted, the
  // tsconfig (its paths change what an import names) and package.json changed.
  const xtestAt = (step: number) => results.find((each) => each.n === step)!.xtest
  expect(xtestAt(7)).toEqual(['test/raw.test.ts'])
  expect(xtestAt(10)).toEqual(['test/glob.test.ts'])
  expect(xtestAt(19)).toHaveLength(9)
  expect(xtestAt(22)).toHaveLength(9)
}, 300_000)
