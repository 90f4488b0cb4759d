// The package's public surface, read from the built dist/ as a user imports it: every entry of package.json's
// `exports` with the names and kinds it exports. An export added, dropped or changed in kind shows up as a snapshot
// diff (`npx vitest run -u test/e2e/public-exports.test.ts` accepts a deliberate one).
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'
import { expect, test } from 'vitest'
import { repoRoot } from '../helpers/cli.js'

type ExportTarget = string | { types?: string; import?: string }
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, ExportTarget> }

/** What a declaration is: the words a reader of the .d.ts would use. */
function kindOf(symbol: ts.Symbol): string {
  const kinds: [ts.SymbolFlags, string][] = [
    [ts.SymbolFlags.Class, 'class'],
    [ts.SymbolFlags.Function, 'function'],
    [ts.SymbolFlags.Enum, 'enum'],
    [ts.SymbolFlags.Variable, 'const'],
    [ts.SymbolFlags.Interface, 'interface'],
    [ts.SymbolFlags.TypeAlias, 'type'],
    [ts.SymbolFlags.Module, 'namespace'],
  ]
  return kinds.filter(([flag]) => symbol.flags & flag).map(([, word]) => word)[0] ?? `flags ${symbol.flags}`
}

/** Each declared export of the .d.ts files: `name: kind`, type-only ones included. */
function declaredExports(files: string[]): Map<string, string[]> {
  const program = ts.createProgram(files, {
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  })
  const checker = program.getTypeChecker()
  return new Map(
    files.map((file) => {
      const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!
      const lines = checker.getExportsOfModule(moduleSymbol).map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
        return `${symbol.name}: ${kindOf(target)}`
      })
      return [file, lines.sort()]
    }),
  )
}

test('the public exports of each package.json `exports` entry, from dist/', async () => {
  const typed = Object.entries(manifest.exports).filter(
    (entry): entry is [string, { types: string; import: string }] => typeof entry[1] === 'object',
  )
  const declared = declaredExports(typed.map(([, target]) => path.join(repoRoot, target.types)))
  const surface: string[] = []
  for (const [subpath, target] of typed) {
    const loaded = (await import(pathToFileURL(path.join(repoRoot, target.import)).href)) as Record<string, unknown>
    surface.push(`${subpath} (${target.import})`)
    for (const line of declared.get(path.join(repoRoot, target.types))!) {
      const name = line.slice(0, line.indexOf(':'))
      // A value export is there at run time too, with the type of value its declaration says.
      surface.push(`  ${line}${name in loaded ? ` (${typeof loaded[name]})` : ''}`)
    }
    const undeclared = Object.keys(loaded).filter(
      (name) => !declared.get(path.join(repoRoot, target.types))!.some((line) => line.startsWith(`${name}:`)),
    )
    expect(undeclared, `${subpath}: exported at run time but not declared`).toEqual([])
  }
  for (const [subpath, target] of Object.entries(manifest.exports).filter(([, target]) => typeof target === 'string')) {
    surface.push(`${subpath} (${target as string})`)
  }
  // The config keys users write, as the JSON Schema (`./schema.json`) names them.
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'config/schema.json'), 'utf8')) as { properties: Record<string, unknown> }
  surface.push(`./schema.json properties: ${Object.keys(schema.properties).join(', ')}`)
  await expect(`${surface.join('\n')}\n`).toMatchFileSnapshot('__snapshots__/public-exports.txt')
})
