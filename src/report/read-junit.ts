// Reads one JUnit file defensively: size first, then bytes → text, no DTD, well-formedness, then plain data.
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { fail, ok, type Result } from '../core/result.js'
import { decodeXmlBytes, findDtdMarkup } from '../core/xml-text.js'
import { cutLongRuns } from './cut-long-runs.js'
import { convertJUnitTree } from './to-report.js'
import { DEFAULT_LIMITS, type ReadProblemKind, type ReadResult } from './types.js'
import type { XmlNode } from './xml-tree.js'

export interface ReadJUnitOptions {
  /** Files larger than this are refused unread. Default 64 MiB. */
  maxInputBytes?: number
  /** Cap of one text element or attribute. Default 64 KiB. */
  maxTextBytes?: number
}

// Names that would reach Object.prototype if a library assigned them. fast-xml-parser throws on them, so a document
// that mentions one is parsed with a renaming pass (slower, hence only then).
const UNSAFE_NAMES = ['__proto__', 'constructor', 'prototype']

// NOTE: entity processing is off (no DTD entities, no expansion limits to trust, see CVE-2026-26278 and
// CVE-2026-33036); the five predefined entities and character references are decoded later by decodeEntities.
const BASE_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  allowBooleanAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Callbacks get a matcher instead of a path string built for every tag.
  jPath: false,
} as const

const plainParser = new XMLParser(BASE_OPTIONS)

function parseTree(text: string, renamed: Set<string>): unknown {
  if (!UNSAFE_NAMES.some((name) => text.includes(name))) return plainParser.parse(text)
  const rename = (name: string): string => {
    if (!UNSAFE_NAMES.includes(name)) return name
    renamed.add(name)
    return `#unsafe-${name}`
  }
  return new XMLParser({ ...BASE_OPTIONS, transformTagName: rename, transformAttributeName: rename }).parse(text)
}

// A report needs few `&#...;` references; a flood of them only costs parse time (CVE-2026-33036 was this shape).
const MAX_CHARACTER_REFERENCES = 100_000

function countCharacterReferences(text: string, stopAt: number): number {
  let count = 0
  for (let at = text.indexOf('&#'); at !== -1 && count < stopAt; at = text.indexOf('&#', at + 2)) count++
  return count
}

/** Parses JUnit XML text (already decoded) into plain data, or says in one line why it cannot. */
export function parseJUnit(input: string, options: ReadJUnitOptions = {}): ReadResult {
  const maxTextBytes = options.maxTextBytes ?? DEFAULT_LIMITS.maxTextBytes
  // Runs past 2 MiB only: shorter ones parse fast and keep their exact size for the truncation note.
  const text = cutLongRuns(input, Math.max(4 * maxTextBytes, 2 * 1024 * 1024))
  if (!/\S/.test(text)) return fail('the file is empty', 'empty')
  const dtd = findDtdMarkup(text)
  if (dtd !== undefined) return fail(`refused: it contains ${dtd} (DTDs and entities are not allowed)`, 'doctype')
  const references = countCharacterReferences(input, MAX_CHARACTER_REFERENCES + 1)
  if (references > MAX_CHARACTER_REFERENCES) {
    return fail(`refused: more than ${MAX_CHARACTER_REFERENCES} character references (a reference flood)`, 'not-well-formed')
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true })
  if (valid !== true) {
    const { msg, line, col } = valid.err
    return fail(`not well-formed XML at line ${line}, column ${col}: ${msg}`, 'not-well-formed')
  }
  const renamed = new Set<string>()
  let tree: unknown
  try {
    tree = parseTree(text, renamed)
  } catch (error) {
    return fail(`the XML parser failed: ${(error as Error).message}`, 'not-well-formed')
  }
  const converted = convertJUnitTree(Array.isArray(tree) ? (tree as XmlNode[]) : [], maxTextBytes)
  if (!converted.ok) return fail(`not JUnit: ${converted.message}`, 'not-junit')
  const notes = [...renamed].map((name) => `ignored elements or attributes named "${name}"`)
  return ok({ report: converted.value, notes })
}

/** A report file's bytes, read defensively (size first, never waiting on a FIFO); `missing` when there is none. */
export async function readReportBytes(path: string, maxInputBytes: number): Promise<Result<Buffer, ReadProblemKind>> {
  try {
    // stat and read the same open handle, so the size checked is the size read; O_NONBLOCK: a FIFO named as a
    // report is refused below instead of waiting forever for a writer.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
    try {
      const info = await handle.stat()
      if (!info.isFile()) return fail('not a regular file', 'unreadable')
      if (info.size > maxInputBytes) {
        return fail(`refused: ${info.size} bytes is over the limit of ${maxInputBytes}`, 'too-large')
      }
      if (info.size === 0) return fail('the file is empty (0 bytes)', 'empty')
      const buffer = Buffer.alloc(info.size)
      let filled = 0
      for (let n = -1; n !== 0 && filled < info.size; filled += n) {
        n = (await handle.read(buffer, filled, info.size - filled, filled)).bytesRead
      }
      return ok(buffer.subarray(0, filled))
    } finally {
      await handle.close()
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return fail('no such file', 'missing')
    return fail(`cannot read it: ${(error as Error).message}`, 'unreadable')
  }
}

/** Reads a JUnit file. Never throws: a missing, oversized, unsafe or malformed file is a typed problem. */
export async function readJUnit(path: string, options: ReadJUnitOptions = {}): Promise<ReadResult> {
  const bytes = await readReportBytes(path, options.maxInputBytes ?? DEFAULT_LIMITS.maxInputBytes)
  if (!bytes.ok) return bytes.kind === 'missing' ? fail('no JUnit file was written', 'missing') : bytes
  const decoded = decodeXmlBytes(bytes.value)
  if (!decoded.ok) return fail(decoded.message, 'unreadable')
  return parseJUnit(decoded.value, options)
}
