// XML text, written and read: hygiene for both JUnit writers (the shard's and the merge's: ANSI escapes, characters
// XML 1.0 forbids, size caps in UTF-8 bytes, escaping) and the reader's side (input bytes, DTD refusal, entities).
import { fail, ok, type Result } from './result.js'

// CSI (`ESC [ … final`, or the one-character C1 form U+009B … final), OSC (`ESC ] … BEL|ST`), two-character escapes.
const ANSI = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g

// Everything outside XML 1.0's Char production, lone surrogates included (the `u` flag sees them as code points).
const ILLEGAL_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
// A cheap pre-check on UTF-16 code units: text without these needs no code-point scan.
const MAYBE_ILLEGAL = /[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/

export function stripAnsi(text: string): string {
  return text.includes('\x1b') || text.includes('\x9b') ? text.replace(ANSI, '') : text
}

/** Replaces code points that XML 1.0 does not allow (NUL, C0 controls, lone surrogates, U+FFFE/FFFF) with U+FFFD. */
export function replaceIllegalXmlChars(text: string): string {
  return MAYBE_ILLEGAL.test(text) ? text.replace(ILLEGAL_XML, '\uFFFD') : text
}

const isContinuationByte = (byte: number | undefined): boolean => byte !== undefined && (byte & 0xc0) === 0x80

/**
 * Keeps `text` within `maxBytes` of UTF-8: the head and the tail around a one-line marker that says how much was cut.
 * Cuts fall on character boundaries.
 */
export function truncateMiddle(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text
  const total = Buffer.byteLength(text, 'utf8')
  if (total <= maxBytes) return text
  const marker = (cut: number): string => `\n[xtest: ${cut} of ${total} bytes cut here]\n`
  const keep = Math.max(0, maxBytes - Buffer.byteLength(marker(total)))
  const bytes = Buffer.from(text, 'utf8')
  let headEnd = Math.floor(keep / 2)
  while (headEnd > 0 && isContinuationByte(bytes[headEnd])) headEnd--
  let tailStart = total - (keep - Math.floor(keep / 2))
  while (tailStart < total && isContinuationByte(bytes[tailStart])) tailStart++
  return bytes.toString('utf8', 0, headEnd) + marker(tailStart - headEnd) + bytes.toString('utf8', tailStart)
}

/** Strips ANSI, replaces illegal characters and caps the size: what every text element and attribute goes through. */
export function sanitizeText(text: string, maxBytes: number): string {
  return truncateMiddle(replaceIllegalXmlChars(stripAnsi(text)), maxBytes)
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' }
const ATTR_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  '\n': '&#10;',
  '\t': '&#9;',
}

/** Escapes element text. `>` is always escaped, so `]]>` can never appear. Illegal characters become U+FFFD. */
export function escapeXmlText(text: string): string {
  const clean = replaceIllegalXmlChars(text)
  return /[&<>\r]/.test(clean) ? clean.replace(/[&<>\r]/g, (ch) => TEXT_ESCAPES[ch] ?? ch) : clean
}

/** Escapes an attribute value; newlines and tabs survive as character references. */
export function escapeXmlAttr(text: string): string {
  const clean = replaceIllegalXmlChars(text)
  return /[&<>"\n\r\t]/.test(clean) ? clean.replace(/[&<>"\n\r\t]/g, (ch) => ATTR_ESCAPES[ch] ?? ch) : clean
}

const swapBytePairs = (bytes: Uint8Array): Buffer => {
  const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)))
  return swapped.swap16()
}

/**
 * Decodes a JUnit file's bytes: UTF-8 (with or without BOM), UTF-16 LE/BE (BOM, or `<?` sniffed), or another encoding
 * named in the XML declaration when Node's TextDecoder knows it. Invalid byte sequences become U+FFFD.
 */
export function decodeXmlBytes(bytes: Uint8Array): Result<string> {
  const [b0, b1, b2, b3] = bytes
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return ok(new TextDecoder('utf-8').decode(bytes.subarray(3)))
  if (b0 === 0xff && b1 === 0xfe) return ok(new TextDecoder('utf-16le').decode(bytes.subarray(2)))
  if (b0 === 0xfe && b1 === 0xff) return ok(new TextDecoder('utf-16le').decode(swapBytePairs(bytes.subarray(2))))
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) return ok(new TextDecoder('utf-16le').decode(bytes))
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) return ok(new TextDecoder('utf-16le').decode(swapBytePairs(bytes)))
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1')
  const declared = /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1]?.toLowerCase()
  // A UTF-16 declaration readable as ASCII is a mislabelled 8-bit file: read it as UTF-8, like an undeclared one.
  if (declared === undefined || ['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(declared) || declared.startsWith('utf-16')) {
    return ok(new TextDecoder('utf-8').decode(bytes))
  }
  try {
    return ok(new TextDecoder(declared).decode(bytes))
  } catch {
    return fail(`unsupported encoding "${declared}"`)
  }
}

// Case-sensitive CDATA/comment openers (as XML reads them); DOCTYPE/ENTITY in any case.
const MARKUP = /<!\[CDATA\[|<!--|<!(?:[Dd][Oo][Cc][Tt][Yy][Pp][Ee]|[Ee][Nn][Tt][Ii][Tt][Yy])/g

/**
 * The first `<!DOCTYPE` or `<!ENTITY` outside CDATA sections and comments, or undefined.
 * A document with either is refused before parsing: no DTD, so no entity expansion and no external fetch.
 */
export function findDtdMarkup(text: string): string | undefined {
  if (!text.includes('<!')) return undefined
  MARKUP.lastIndex = 0
  for (let match = MARKUP.exec(text); match !== null; match = MARKUP.exec(text)) {
    const opener = match[0]
    if (opener === '<![CDATA[' || opener === '<!--') {
      const end = text.indexOf(opener === '<!--' ? '-->' : ']]>', MARKUP.lastIndex)
      if (end === -1) return undefined
      MARKUP.lastIndex = end + 3
      continue
    }
    return opener
  }
  return undefined
}

const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,8})|#([0-9]{1,10})|(lt|gt|amp|quot|apos));/g
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

const fromCodePoint = (codePoint: number): string => (codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '\uFFFD')

/**
 * Decodes the five predefined entities and numeric character references in one pass, nothing else.
 * The parser runs with entity processing off, so this is the only expansion: linear, never recursive.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(ENTITY, (_all, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name] ?? ''
    return fromCodePoint(hex !== undefined ? Number.parseInt(hex, 16) : Number(dec))
  })
}
