/** What a test file says about itself: tier tags and container pins, found without running it. */
export interface SourceFacts {
  /** Tags from `@module-tag` comments (file-wide, as Vitest reads them). */
  moduleTags: string[]
  /** Tags found in `tags: [...]` / `tags: '...'` options on tests or describes. */
  optionTags: string[]
  /** Names from `@xtest-container NAME` docblocks. */
  pins: string[]
}

const NO_FACTS: SourceFacts = Object.freeze({ moduleTags: [], optionTags: [], pins: [] }) as SourceFacts

// Same expression Vitest 4.1 uses (cli-api detectCodeBlock), so xtest and Vitest agree on module tags.
const MODULE_TAG = /(\/\/|\*)\s*@module-tag\s+([\w\-/]+)\b/g
const PIN = /(?:\/\/|\*)\s*@xtest-container\s+([\w\-, ]+)/g

/** Scans a source file. Cheap when the file mentions no tags: most files return at the first check. */
export function scanSource(text: string): SourceFacts {
  if (!text.includes('@module-tag') && !text.includes('@xtest-container') && !text.includes('tags')) return NO_FACTS
  const facts: SourceFacts = { moduleTags: [], optionTags: [], pins: [] }
  if (text.includes('@module-tag')) for (const m of text.matchAll(MODULE_TAG)) facts.moduleTags.push(m[2]!)
  if (text.includes('@xtest-container')) {
    for (const m of text.matchAll(PIN)) facts.pins.push(...m[1]!.split(/[\s,]+/).filter(Boolean))
  }
  if (text.includes('tags')) facts.optionTags = findOptionTags(tokenize(text))
  return facts
}

/** A token and its offset in the text (`at`). A template literal's `${…}` parts become NUL in its value. */
export type Token = { kind: 'string' | 'word' | 'punct'; value: string; at: number }

/** Finds `tags: 'x'` and `tags: ['x', "y"]` in code, never in comments or strings. */
function findOptionTags(tokens: Token[]): string[] {
  const tags: string[] = []
  for (let i = 0; i + 2 < tokens.length; i++) {
    const key = tokens[i]!
    if (!((key.kind === 'word' || key.kind === 'string') && key.value === 'tags')) continue
    if (tokens[i + 1]!.value !== ':' || tokens[i + 1]!.kind !== 'punct') continue
    const next = tokens[i + 2]!
    if (next.kind === 'string') {
      tags.push(next.value)
      continue
    }
    if (next.kind !== 'punct' || next.value !== '[') continue
    for (let j = i + 3; j < tokens.length; j++) {
      const t = tokens[j]!
      if (t.kind === 'string') tags.push(t.value)
      else if (t.kind === 'punct' && t.value === ']') break
      else if (!(t.kind === 'punct' && t.value === ',')) break
    }
  }
  return tags
}

// Keywords after which a `/` starts a regular expression rather than a division.
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
])

/**
 * A small, forgiving JS/TS tokenizer: strings (with simple values), words and punctuation; comments and regexes
 * dropped. It never throws: a string left open at the end of a line (JSX text such as `it's`) ends there.
 */
export function tokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = []
  const n = text.length
  let i = 0
  while (i < n) {
    const ch = text[i]!
    if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r') {
      i++
      continue
    }
    if (ch === '/' && text[i + 1] === '/') {
      i = lineEnd(text, i)
      continue
    }
    if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? n : end + 2
      continue
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      i = readString(text, i, tokens, offset)
      continue
    }
    if (ch === '/' && startsRegex(tokens.at(-1))) {
      i = skipRegex(text, i)
      continue
    }
    if (/[\w$]/.test(ch)) {
      let j = i + 1
      while (j < n && /[\w$]/.test(text[j]!)) j++
      tokens.push({ kind: 'word', value: text.slice(i, j), at: offset + i })
      i = j
      continue
    }
    tokens.push({ kind: 'punct', value: ch, at: offset + i })
    i++
  }
  return tokens
}

function lineEnd(text: string, i: number): number {
  const end = text.indexOf('\n', i)
  return end < 0 ? text.length : end
}

function startsRegex(prev: Token | undefined): boolean {
  if (!prev) return true
  if (prev.kind === 'string') return false
  if (prev.kind === 'word') return REGEX_AFTER_WORD.has(prev.value)
  return prev.value !== ')' && prev.value !== ']' && prev.value !== '}'
}

function skipRegex(text: string, start: number): number {
  let inClass = false
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]
    if (ch === '\\') {
      i++
      continue
    }
    if (ch === '\n') return i
    if (ch === '[') inClass = true
    else if (ch === ']') inClass = false
    else if (ch === '/' && !inClass) return i + 1
  }
  return text.length
}

// Template literals: the static text is not code; `${...}` parts are tokenized as code, after the string's token.
function readString(text: string, start: number, tokens: Token[], offset: number): number {
  const quote = text[start]!
  const token: Token = { kind: 'string', value: '', at: offset + start }
  const inner: Token[] = []
  let value = ''
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]!
    if (ch === '\\') {
      value += text[i + 1] ?? ''
      i++
      continue
    }
    if (ch === quote) {
      token.value = value
      tokens.push(token, ...inner)
      return i + 1
    }
    if (quote !== '`' && ch === '\n') return i
    if (quote === '`' && ch === '$' && text[i + 1] === '{') {
      const end = matchingBrace(text, i + 1)
      inner.push(...tokenize(text.slice(i + 2, end), offset + i + 2))
      value += '\u0000'
      i = end
      continue
    }
    value += ch
  }
  tokens.push(...inner)
  return text.length
}

function matchingBrace(text: string, open: number): number {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}' && --depth === 0) return i
  }
  return text.length
}
