// --changed's static scan: the specifiers a file imports (find-imports.ts) and the files they name
// (resolve-import.ts), as Vite, Node and TypeScript resolve them; what it cannot read selects the file.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { selectAffected } from '../../src/plan/affected.js'
import { findImports } from '../../src/plan/find-imports.js'
import { createImportReader, createImportScanner } from '../../src/plan/io/import-graph.js'
import { createResolver } from '../../src/plan/io/resolve-import.js'
import type { Shard } from '../../src/plan/types.js'

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-resolve-')))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const write = (file: string, text = '') => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
  fs.writeFileSync(path.join(dir, file), text)
}

describe('findImports', () => {
  test('every form, with its line; comments and strings are not imports', () => {
    const text = [
      "import { a } from './a.js'",
      'import {\n  b,\n} from "../b"',
      "import './side-effect'",
      "export * from './re-export.ts'",
      "const d = await import('./dynamic.js')",
      "const e = require('./required.cjs')",
      "vi.mock('./mocked', () => ({}))",
      "vi.mock(import('./typed-mock'))",
      "import data from './data.json?raw'",
      "// import './commented'",
      'const s = "import \'./in-a-string\'"',
      "import type { T } from '#internal/types'",
      "const u = new URL('./asset.bin', import.meta.url)",
    ].join('\n')
    expect(findImports(text).specifiers).toEqual([
      { specifier: './a.js', line: 1 },
      { specifier: '../b', line: 4 },
      { specifier: './side-effect', line: 5 },
      { specifier: './re-export.ts', line: 6 },
      { specifier: './dynamic.js', line: 7 },
      { specifier: './required.cjs', line: 8 },
      { specifier: './mocked', line: 9, mock: true },
      { specifier: './typed-mock', line: 10 },
      { specifier: './data.json?raw', line: 11 },
      { specifier: '#internal/types', line: 14 },
      { specifier: './asset.bin', line: 15 },
    ])
  })

  test('import.meta.glob: a string, an array with negations, type arguments; a template import() is a glob', () => {
    const text = [
      "const a = import.meta.glob('./pages/*.ts')",
      "const b = import.meta.glob<{ default: string }>(['./dir/**/*.md', '!./dir/skip.md'], { eager: true, query: '?raw' })",
      'const c = await import(`./locales/${lang}.json`)',
    ].join('\n')
    const found = findImports(text)
    expect(found.globs).toEqual([
      { patterns: ['./pages/*.ts'], line: 1 },
      { patterns: ['./dir/**/*.md', '!./dir/skip.md'], line: 2 },
      { patterns: ['./locales/*.json'], line: 3 },
    ])
    expect(found.unreadable).toEqual([])
  })

  // Spelt in two parts: Vitest reads the tag anywhere in this file's text.
  const tag = `@vitest-${'environment'}`
  test("a custom environment tag names a file or a package; Vitest's own environments are not files", () => {
    expect(findImports(`/** ${tag} ./env.ts */`).specifiers).toEqual([{ specifier: './env.ts', line: 1 }])
    expect(findImports(`// ${tag} custom`).specifiers).toEqual([{ specifier: 'vitest-environment-custom', line: 1 }])
    expect(findImports(`// ${tag} jsdom`).specifiers).toEqual([])
  })

  test('computed names are reported with their line, never dropped', () => {
    const text = ['const x = 1', 'await import(name)', 'import.meta.glob(patterns)', "vi.mock(path.join('a', 'b'))", 'require(id)'].join(
      '\n',
    )
    expect(findImports(text).unreadable).toEqual([
      { what: 'import() with a computed name', line: 2 },
      { what: 'import.meta.glob with computed patterns', line: 3 },
      { what: 'vi.mock() with a computed path', line: 4 },
      { what: 'require() with a computed name', line: 5 },
    ])
  })

  test('TSX: JSX text with an apostrophe (where es-module-lexer stops) does not hide the imports after it', () => {
    const text = [
      "import React from 'react'",
      "export const A = () => <p>it's here</p>",
      "import { B } from './b'",
      'export const C = () => <a href="/x/y">{n / 2}</a>',
      "const late = import('./late')",
    ].join('\n')
    expect(findImports(text).specifiers.map((each) => each.specifier)).toEqual(['react', './b', './late'])
  })
})

describe('the resolver', () => {
  write('src/index.ts')
  write('src/b.ts')
  write('src/m.mts')
  write('src/c.cts')
  write('src/view.tsx')
  write('src/data.txt')
  write('src/lib/util.ts')
  write('src/internal/x.ts')
  write('src/feature/a.ts')
  write(
    'tsconfig.base.json',
    '{\n  // shared\n  "compilerOptions": { "paths": { "@lib/*": ["src/lib/*"], "~app": ["src/index.ts"], }, },\n}',
  )
  write('packages/app/tsconfig.json', '{ "extends": "../../tsconfig.base.json" }')
  write('packages/app/main.ts')
  write('packages/based/tsconfig.json', '{ "compilerOptions": { "baseUrl": "../../src" } }')
  write('packages/based/main.ts')
  write(
    'packages/pkg/package.json',
    JSON.stringify({
      name: '@acme/pkg',
      exports: { '.': { import: './src/index.ts', require: './dist/index.cjs' }, './feature/*': './src/feature/*.ts' },
    }),
  )
  write('packages/pkg/src/index.ts')
  write('packages/pkg/src/feature/a.ts')
  write('packages/pkg/src/self.ts')
  write('package.json', JSON.stringify({ name: 'root', imports: { '#internal/*': './src/internal/*.ts', '#pkg': '@acme/pkg' } }))
  write('node_modules/installed/package.json', JSON.stringify({ name: 'installed', main: 'index.js' }))
  write('node_modules/installed/index.js')
  fs.mkdirSync(path.join(dir, 'node_modules/@acme'), { recursive: true })
  fs.symlinkSync(path.join(dir, 'packages/pkg'), path.join(dir, 'node_modules/@acme/pkg'))

  const resolve = createResolver(dir, new Set(['src/gone.ts']))
  const files = (spec: string, from = 'test/a.test.ts') => {
    const found = resolve(spec, from)
    return found.kind === 'files' ? found.files : found.kind
  }

  test("a trailing slash names the folder's index, normalised once (no src//index.ts)", () => {
    expect(files('../src/')).toEqual(['src/index.ts'])
    expect(files('../src')).toEqual(['src/index.ts'])
    expect(files('./', 'src/b.ts')).toEqual(['src/index.ts'])
    expect(files('.', 'src/b.ts')).toEqual(['src/index.ts'])
  })

  test('extensions as TypeScript maps them, and suffixes Vite strips', () => {
    expect(files('../src/b.js')).toEqual(['src/b.ts'])
    expect(files('../src/m.mjs')).toEqual(['src/m.mts'])
    expect(files('../src/c.cjs')).toEqual(['src/c.cts'])
    expect(files('../src/view.js')).toEqual(['src/view.tsx'])
    expect(files('../src/b')).toEqual(['src/b.ts'])
    expect(files('../src/data.txt?raw')).toEqual(['src/data.txt'])
    expect(files('../src/b?url')).toEqual(['src/b.ts'])
    expect(files('/src/b.ts')).toEqual(['src/b.ts'])
  })

  test('tsconfig paths (through extends, relative to the file that sets them) and baseUrl', () => {
    expect(files('@lib/util', 'packages/app/main.ts')).toEqual(['src/lib/util.ts'])
    expect(files('~app', 'packages/app/main.ts')).toEqual(['src/index.ts'])
    expect(files('lib/util', 'packages/based/main.ts')).toEqual(['src/lib/util.ts'])
  })

  test('package exports (every condition), subpath patterns, #imports, self-reference; installed packages are outside', () => {
    expect(files('@acme/pkg')).toEqual(['packages/pkg/src/index.ts'])
    expect(files('@acme/pkg/feature/a')).toEqual(['packages/pkg/src/feature/a.ts'])
    expect(files('@acme/pkg/feature/a', 'packages/pkg/src/self.ts')).toEqual(['packages/pkg/src/feature/a.ts'])
    expect(files('#internal/x')).toEqual(['src/internal/x.ts'])
    expect(files('#pkg')).toEqual(['packages/pkg/src/index.ts'])
    expect(files('installed')).toBe('external')
    expect(files('node:fs')).toBe('external')
    expect(files('path')).toBe('external')
  })

  test('what it cannot resolve says so; a deleted file that changed still counts', () => {
    expect(resolve('nowhere', 'test/a.test.ts')).toEqual({ kind: 'unresolved', why: "could not resolve 'nowhere'" })
    expect(resolve('@/alias', 'test/a.test.ts').kind).toBe('unresolved')
    expect(resolve('#missing', 'test/a.test.ts').kind).toBe('unresolved')
    expect(resolve('../src/never', 'test/a.test.ts').kind).toBe('unresolved')
    expect(files('../src/gone')).toEqual(['src/gone.ts'])
  })

  test('the scanner: globs expand to the files they match now; problems carry file and line', () => {
    write('test/g/one.ts')
    write('test/g/two.ts')
    write('test/g/skip.ts')
    write(
      'test/scan.test.ts',
      ["import '../src/'", "import.meta.glob(['./g/*.ts', '!./g/skip.ts'])", 'await import(name)', "import 'nowhere'"].join('\n'),
    )
    const scan = createImportScanner(dir)('test/scan.test.ts')
    expect(scan.files).toEqual(['src/index.ts'])
    expect(scan.globbed.sort()).toEqual(['test/g/one.ts', 'test/g/two.ts'])
    expect(scan.globs).toEqual([{ patterns: ['test/g/*.ts'], ignore: ['test/g/skip.ts'] }])
    expect(scan.problems).toEqual([
      'import() with a computed name at test/scan.test.ts:3',
      "could not resolve 'nowhere' at test/scan.test.ts:4",
    ])
    // The cache's walk takes named imports only: what a glob loaded, the shard's record says.
    expect(createImportReader(dir, new Set())('test/scan.test.ts')).toEqual(['src/index.ts'])
  })

  test('a file too large to scan is a problem for its importers, not a silent leaf', () => {
    write('src/big.js', `// ${'x'.repeat(9 * 1024 * 1024)}\n`)
    expect(createImportScanner(dir)('src/big.js').problems).toEqual(['src/big.js is too large to scan'])
  })

  test('vi.mock without a factory: the __mocks__ file beside the module, or in the root for a package', () => {
    write('src/__mocks__/b.ts')
    write('__mocks__/installed.ts')
    write('test/mocks.test.ts', "vi.mock('../src/b')\nvi.mock('installed')")
    expect(createImportScanner(dir)('test/mocks.test.ts').files.sort()).toEqual([
      '__mocks__/installed.ts',
      'src/__mocks__/b.ts',
      'src/b.ts',
    ])
  })
})

describe('selectAffected', () => {
  const shards: Shard[] = [{ id: 'a.fast', container: 'a', tier: 'fast', files: ['x.test.ts', 'y.test.ts', 'z.test.ts'] }]
  const graph: Record<string, { files: string[]; globs?: Array<{ patterns: string[]; ignore: string[] }>; problems?: string[] }> = {
    'x.test.ts': { files: [], globs: [{ patterns: ['pages/*.ts'], ignore: [] }] },
    'y.test.ts': { files: ['lib.ts'] },
    'lib.ts': { files: [], problems: ['import() with a computed name at lib.ts:3'] },
    'z.test.ts': { files: [] },
  }
  const select = (changed: string[], recorded: Record<string, string[]> = {}) =>
    selectAffected({
      shards,
      changed: new Set(changed),
      triggers: { containers: new Map() },
      importsOf: (file) => graph[file] ?? { files: [] },
      recordedInputs: (file) => recorded[file],
    }).reasons

  test('a recorded input that changed selects (a fixture, a snapshot: what no import names)', () => {
    expect(select(['fixtures/data.json'], { 'z.test.ts': ['z.test.ts', 'fixtures/data.json'] }).get('z.test.ts')).toBe(
      'recorded input fixtures/data.json changed',
    )
  })

  test('a glob matching a changed (also deleted) path selects; an unreadable import selects and says where', () => {
    const reasons = select(['pages/deleted.ts'])
    expect(reasons.get('x.test.ts')).toBe('imports pages/deleted.ts (import.meta.glob)')
    expect(reasons.get('y.test.ts')).toBe('the resolver could not follow an import: import() with a computed name at lib.ts:3')
    expect(reasons.has('z.test.ts')).toBe(false)
  })

  test('nothing changed selects nothing, whatever the scan could not read', () => {
    expect(select([]).size).toBe(0)
  })
})
