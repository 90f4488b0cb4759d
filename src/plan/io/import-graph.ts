import fs from 'node:fs'
import path from 'node:path'

const CODE = /\.(?:[cm]?[jt]sx?)$/
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']
// TypeScript's ESM style: `import './x.js'` names the file `x.ts`.
const SOURCE_OF: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] }

// `import … from 'x'`, `export … from 'x'`, `import 'x'`, and calls: import('x'), require('x'), vi.mock('x'), …
const STATIC = /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"\n]+)['"]/g
const BARE = /\bimport\s*['"]([^'"\n]+)['"]/g
const CALL = /\b(?:import|require|vi\.(?:mock|doMock|unmock|importActual|importMock))\s*\(\s*['"]([^'"\n]+)['"]/g

/** The relative specifiers (`./x`, `../y`) a source text imports. Bare packages and aliases are not followed. */
export function findRelativeImports(text: string): string[] {
  const found = new Set<string>()
  for (const pattern of [STATIC, BARE, CALL]) {
    for (const match of text.matchAll(pattern)) {
      const spec = match[1]!.replace(/[?#].*$/, '')
      if (spec.startsWith('./') || spec.startsWith('../')) found.add(spec)
    }
  }
  return [...found]
}

/**
 * A reader of the import graph: file (relative to `root`, POSIX) → the files it imports, resolved the way Node and
 * Vite would for relative paths. A specifier that resolves to no file on disk but to a changed (deleted) path
 * still counts, so a test importing a deleted module is selected. Each file is read once.
 */
export function createImportReader(root: string, changed: ReadonlySet<string>): (file: string) => string[] {
  const cache = new Map<string, string[]>()
  return (file) => {
    let imports = cache.get(file)
    if (imports === undefined) cache.set(file, (imports = readImports(root, file, changed)))
    return imports
  }
}

function readImports(root: string, file: string, changed: ReadonlySet<string>): string[] {
  if (!CODE.test(file) || file.includes('node_modules/')) return []
  let text: string
  try {
    text = fs.readFileSync(path.join(root, file), 'utf8')
  } catch {
    return []
  }
  const dir = path.posix.dirname(file)
  return findRelativeImports(text).flatMap((spec) => {
    const resolved = resolveSpecifier(root, path.posix.normalize(path.posix.join(dir, spec)), changed)
    return resolved === undefined ? [] : [resolved]
  })
}

function resolveSpecifier(root: string, base: string, changed: ReadonlySet<string>): string | undefined {
  const ext = path.posix.extname(base)
  const stem = base.slice(0, base.length - ext.length)
  const candidates = [
    ...(SOURCE_OF[ext] ?? []).map((source) => stem + source),
    base,
    ...EXTENSIONS.map((each) => base + each),
    ...EXTENSIONS.map((each) => `${base}/index${each}`),
  ]
  return candidates.find((candidate) => isFile(path.join(root, candidate))) ?? candidates.find((candidate) => changed.has(candidate))
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile()
  } catch {
    return false
  }
}
