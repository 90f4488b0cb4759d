import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  decodeEntities,
  decodeXmlBytes,
  escapeXmlAttr,
  escapeXmlText,
  findDtdMarkup,
  replaceIllegalXmlChars,
  sanitizeText,
  stripAnsi,
  truncateMiddle,
} from '../../src/core/xml-text.js'
import { readLogTail, renderJUnit } from '../../src/report/index.js'
import { firstLines } from '../../src/report/sanitize.js'
import { schemaErrors, tempDir } from '../fixtures-junit/helpers.js'

describe('sanitize', () => {
  test('ANSI: colours, cursor moves, OSC hyperlinks', () => {
    expect(stripAnsi('\x1b[31mred\x1b[0m \x1b[2K\x1b[1A up \x1b]8;;https://x.test\x07link\x1b]8;;\x07 \x9b1mcsi')).toBe('red  up link csi')
  })

  test('characters XML 1.0 forbids become U+FFFD; tab, newline, emoji stay', () => {
    expect(replaceIllegalXmlChars('a\x00b\x07c\x1fd\tz\n\r\uFFFE\uFFFF\uD800x\uDC00 😀')).toBe(
      'a\uFFFDb\uFFFDc\uFFFDd\tz\n\r\uFFFD\uFFFD\uFFFDx\uFFFD 😀',
    )
  })

  test('truncation keeps head and tail within the byte cap, on character boundaries', () => {
    const text = `${'é'.repeat(5000)}MIDDLE${'😀'.repeat(5000)}`
    const cut = truncateMiddle(text, 4096)
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(4096)
    expect(cut).toMatch(/^é+\n\[xtest: \d+ of 30006 bytes cut here\]\n(😀)+$/u)
    expect(cut).not.toContain('\uFFFD')
    expect(truncateMiddle('short', 10)).toBe('short')
  })

  test('sanitizeText does all three', () => {
    expect(sanitizeText(`\x1b[1m${'a'.repeat(100)}\x00`, 1000)).toBe(`${'a'.repeat(100)}\uFFFD`)
  })

  test('firstLines', () => {
    expect(firstLines('a\nb\nc', 2)).toBe('a\nb')
    expect(firstLines(`${'x'.repeat(300)}\n`, 1, 10)).toBe('xxxxxxxxx…')
  })
})

describe('XML text', () => {
  test('entities: the five predefined and character references, one pass, never recursive', () => {
    expect(decodeEntities('&lt;a&gt; &amp;lt; &quot;&apos; &#65;&#x42; &#0; &#x110000; &unknown; & alone')).toBe(
      `<a> &lt; "' AB \uFFFD \uFFFD &unknown; & alone`,
    )
  })

  test('escaping never lets `]]>`, quotes or newlines through raw', () => {
    expect(escapeXmlText('x]]>y & <z>\r')).toBe('x]]&gt;y &amp; &lt;z&gt;&#13;')
    expect(escapeXmlAttr('"a"\n\tb\x01')).toBe('&quot;a&quot;&#10;&#9;b\uFFFD')
  })

  test('DTD markup is found outside CDATA and comments only', () => {
    expect(findDtdMarkup('<a><![CDATA[<!DOCTYPE x>]]><!-- <!ENTITY y> --></a>')).toBeUndefined()
    expect(findDtdMarkup('<a><![CDATA[x]]></a><!ENTITY y "z">')).toBe('<!ENTITY')
    expect(findDtdMarkup('<!DocType a>')).toBe('<!DocType')
  })

  test('bytes: UTF-8 BOM, UTF-16 with and without BOM, unknown encodings', () => {
    const xml = '<?xml version="1.0"?><a>ü</a>'
    expect(decodeXmlBytes(Buffer.from(xml, 'utf16le'))).toEqual({ ok: true, value: xml })
    expect(decodeXmlBytes(Buffer.from(xml, 'utf16le').swap16())).toEqual({ ok: true, value: xml })
    expect(decodeXmlBytes(Buffer.from('<?xml version="1.0" encoding="x-klingon"?><a/>'))).toEqual({
      ok: false,
      message: 'unsupported encoding "x-klingon"',
    })
  })

  test('the writer: valid against junit-10.xsd even for hostile text, totals from the cases', () => {
    const hostile = '\x1b[31m]]> </system-out><x/> &amp; "\'\x00\uD800'
    const xml = renderJUnit({
      name: hostile,
      suites: [
        {
          name: hostile,
          time: Number.NaN,
          file: hostile,
          properties: [{ name: hostile, value: hostile }],
          systemOut: hostile,
          cases: [
            {
              classname: hostile,
              name: hostile,
              time: -1,
              result: 'failed',
              properties: [{ name: 'k', value: 'v' }],
              fault: { message: hostile, type: hostile, body: hostile },
              systemErr: hostile,
            },
            { classname: 'c', name: 's', time: 1e-9, result: 'skipped', skipMessage: hostile, properties: [], flaky: true },
            { classname: 'c', name: 'e', time: 12345.6789, result: 'error', properties: [], fault: { message: '', type: '', body: '' } },
          ],
        },
      ],
    })
    const path = join(tempDir(), 'hostile.xml')
    writeFileSync(path, xml)
    expect(schemaErrors(path)).toBe('')
    expect(xml).toContain('<testsuites name=')
    expect(xml).toMatch(/tests="3" failures="1" errors="1" skipped="1" time="0.000"/)
    expect(xml).toContain('time="12345.679"')
  })
})

describe('the one writer (core/junit-write.ts)', () => {
  test('caps every text it writes at 64 KiB of UTF-8, also a system-out made of properties, the flaky mark and the output', () => {
    const output = 'é'.repeat(32 * 1024)
    const xml = renderJUnit({
      suites: [
        {
          name: 's',
          time: 0,
          properties: [],
          cases: [
            {
              classname: 'c',
              name: 'n',
              time: 0,
              result: 'passed',
              properties: [{ name: 'k', value: 'v' }],
              flaky: true,
              systemOut: output,
            },
          ],
        },
      ],
    })
    const text = /<system-out>([\s\S]*)<\/system-out>/.exec(xml)?.[1] ?? ''
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(64 * 1024)
    expect(text).toMatch(
      /^\[xtest\] property k: v\n\[xtest\] flaky: passed after failed attempts\né+\n\[xtest: \d+ of \d+ bytes cut here\]\né+$/,
    )
  })
})

describe('readLogTail', () => {
  test('the last N lines of a big log, without reading it whole', async () => {
    const path = join(tempDir(), 'output.log')
    writeFileSync(path, Array.from({ length: 100_000 }, (_, i) => `line ${i + 1}`).join('\n') + '\n')
    const tail = await readLogTail(path, 200, 64 * 1024)
    expect(tail).toMatchObject({ lines: 200, partial: true })
    expect(tail!.text.startsWith('line 99801\n')).toBe(true)
    expect(tail!.text.endsWith('line 100000\n')).toBe(true)
  })

  test('a short log is returned whole; a missing one is undefined', async () => {
    const path = join(tempDir(), 'output.log')
    writeFileSync(path, 'one\ntwo')
    expect(await readLogTail(path, 200, 1024)).toEqual({ text: 'one\ntwo', lines: 2, partial: false })
    expect(await readLogTail(join(tempDir(), 'none.log'), 200, 1024)).toBeUndefined()
  })

  test('one endless line is capped at maxBytes, cut on a character boundary', async () => {
    const path = join(tempDir(), 'output.log')
    writeFileSync(path, '€'.repeat(400_000))
    const tail = await readLogTail(path, 200, 1000)
    expect(Buffer.byteLength(tail!.text)).toBeLessThanOrEqual(1000)
    expect(tail!.text).toMatch(/^€+$/)
    expect(tail!.partial).toBe(true)
  })
})
