// The byte- and character-level side of XML: decoding input bytes, refusing DTDs, entities in and out.

import { fail, ok, type Result } from '../core/result.js'

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
