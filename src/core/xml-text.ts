// XML text hygiene for both JUnit writers (the shard's and the merge's): ANSI escapes, characters XML 1.0 forbids,
// size caps in UTF-8 bytes, and escaping.

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
