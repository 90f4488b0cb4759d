// What a source file imports, read from its tokens (scan-source.ts's forgiving tokenizer, which also reads TSX, where
// es-module-lexer stops at JSX text): every specifier Vite would follow, the import.meta.glob patterns, and each
// import it cannot read (a computed name), with its line, so `--changed` selects that file instead of guessing.
import { type Token, tokenize } from './scan-source.js'

export interface FoundImports {
  /** Specifiers with the line they are on, suffixes (`?raw`) kept: the resolver strips them. `mock`: a vi.mock path. */
  specifiers: Array<{ specifier: string; line: number; mock?: true }>
  /** import.meta.glob calls (and `import(\`./x/${name}.ts\`)`): their patterns, `!` negations included. */
  globs: Array<{ patterns: string[]; line: number }>
  /** Lines of imports whose target is computed. */
  unreadable: Array<{ what: string; line: number }>
}

const VI_CALLS = new Set(['mock', 'doMock', 'unmock', 'doUnmock', 'importActual', 'importMock'])
const literal = (token: Token | undefined): string | undefined =>
  token?.kind === 'string' && !token.value.includes('\0') ? token.value : undefined
const is = (token: Token | undefined, value: string): boolean => token !== undefined && token.kind !== 'string' && token.value === value

/** Static and dynamic imports, re-exports, require(), vi.mock() and friends, import.meta.glob, new URL(x, import.meta.url). */
export function findImports(text: string): FoundImports {
  const found: FoundImports = { specifiers: [], globs: [], unreadable: [] }
  if (!/\b(?:import|from|require|mock|doMock|unmock|doUnmock|importActual|importMock|URL|vitest-environment)\b/.test(text)) return found
  const tokens = tokenize(text)
  const lineOf = lineFinder(text)
  const add = (specifier: string, token: Token) => found.specifiers.push({ specifier, line: lineOf(token.at) })
  const cannot = (what: string, token: Token) => found.unreadable.push({ what, line: lineOf(token.at) })
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.kind !== 'word' || is(tokens[i - 1], '.')) continue
    const next = tokens[i + 1]
    if (t.value === 'import' && literal(next) !== undefined) add(literal(next)!, t)
    else if (t.value === 'from' && literal(next) !== undefined) add(literal(next)!, t)
    else if (t.value === 'import' && is(next, '(')) {
      const arg = tokens[i + 2]
      if (literal(arg) !== undefined) add(literal(arg)!, t)
      else if (arg?.kind === 'string' && /^\.\.?\//.test(arg.value))
        // Vite turns `import(`./x/${name}.ts`)` into a glob over ./x/*.ts.
        found.globs.push({ patterns: [arg.value.replace(/\0+/g, '*')], line: lineOf(t.at) })
      else cannot('import() with a computed name', t)
    } else if (t.value === 'import' && is(next, '.') && is(tokens[i + 2], 'meta') && is(tokens[i + 3], '.') && is(tokens[i + 4], 'glob')) {
      const patterns = readGlobPatterns(tokens, skipTypeArguments(tokens, i + 5))
      if (patterns) found.globs.push({ patterns, line: lineOf(t.at) })
      else cannot('import.meta.glob with computed patterns', t)
    } else if (t.value === 'require' && is(next, '(')) {
      if (literal(tokens[i + 2]) !== undefined) add(literal(tokens[i + 2])!, t)
      else cannot('require() with a computed name', t)
    } else if (t.value === 'require' && is(next, '.') && is(tokens[i + 2], 'resolve') && literal(tokens[i + 4]) !== undefined) {
      add(literal(tokens[i + 4])!, t)
    } else if ((t.value === 'vi' || t.value === 'vitest') && is(next, '.') && VI_CALLS.has(tokens[i + 2]?.value ?? '')) {
      const at = skipTypeArguments(tokens, i + 3)
      const arg = tokens[at + 1]
      if (!is(tokens[at], '(')) continue
      if (literal(arg) !== undefined) found.specifiers.push({ specifier: literal(arg)!, line: lineOf(t.at), mock: true })
      // vi.mock(import('./x')) is read as the import() it holds.
      else if (!is(arg, 'import')) cannot(`vi.${tokens[i + 2]!.value}() with a computed path`, t)
    } else if (t.value === 'URL' && is(tokens[i - 1], 'new') && is(next, '(') && literal(tokens[i + 2]) !== undefined) {
      // new URL('./asset.txt', import.meta.url): an asset next to the module.
      if (is(tokens[i + 3], ',') && is(tokens[i + 4], 'import') && /^\.\.?\//.test(literal(tokens[i + 2])!)) add(literal(tokens[i + 2])!, t)
    }
  }
  // `// @vitest-environment ./env.ts` or a package `vitest-environment-<name>`; Vitest's own ones are no file.
  for (const match of text.matchAll(ENVIRONMENT)) {
    const name = match[1]!
    if (BUILTIN_ENVIRONMENTS.has(name)) continue
    const specifier = /^[./]/.test(name) || name.startsWith('vitest-environment-') ? name : `vitest-environment-${name}`
    found.specifiers.push({ specifier, line: lineOf(match.index) })
  }
  return found
}

const ENVIRONMENT = /@vitest-environment\s+([^\s*]+)/g
const BUILTIN_ENVIRONMENTS = new Set(['node', 'jsdom', 'happy-dom', 'edge-runtime'])

// `glob<Record<string, string>>(` → the index of `(`.
function skipTypeArguments(tokens: Token[], at: number): number {
  if (!is(tokens[at], '<')) return at
  let depth = 0
  for (let i = at; i < tokens.length; i++) {
    if (is(tokens[i], '<')) depth++
    else if (is(tokens[i], '>') && --depth === 0) return i + 1
  }
  return tokens.length
}

// glob('./a/*.ts') or glob(['./a/*.ts', '!./a/x.ts']); undefined when a pattern is not a plain string.
function readGlobPatterns(tokens: Token[], open: number): string[] | undefined {
  if (!is(tokens[open], '(')) return undefined
  const first = tokens[open + 1]
  if (literal(first) !== undefined) return [literal(first)!]
  if (!is(first, '[')) return undefined
  const patterns: string[] = []
  for (let i = open + 2; i < tokens.length; i++) {
    const t = tokens[i]!
    if (is(t, ']')) return patterns
    if (is(t, ',')) continue
    const value = literal(t)
    if (value === undefined) return undefined
    patterns.push(value)
  }
  return undefined
}

function lineFinder(text: string): (offset: number) => number {
  const starts = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}
