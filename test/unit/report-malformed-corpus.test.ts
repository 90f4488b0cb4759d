import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { mergeRun, readJUnit } from '../../src/report/index.js'
import { outcomeOf, schemaErrors, tempDir } from '../fixtures-junit/helpers.js'

// A corpus of broken shard reports and 10,000 fuzzed ones. The reader never throws, answers
// fast, never leaks a local file, and each broken report becomes synthetic cases for its files.
const dir = tempDir()
const SECRET = 'TOP-SECRET-7f3a'
const secretFile = path.join(dir, 'secret.txt')
fs.writeFileSync(secretFile, SECRET)
const FILE = 'src/a.test.ts'
const valid = `<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="vitest tests" tests="2" failures="1" errors="0" time="0.2">
  <testsuite name="${FILE}" timestamp="2026-11-21T10:00:00.000Z" hostname="h" tests="2" failures="1" errors="0" skipped="0" time="0.2">
    <testcase classname="${FILE}" name="a &gt; works" time="0.1"><system-out>hello</system-out></testcase>
    <testcase classname="${FILE}" name="a &gt; fails" time="0.1"><failure message="expected 1 to be 2" type="AssertionError">AssertionError: expected 1 to be 2</failure></testcase>
  </testsuite>
</testsuites>
`
const laughs =
  `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
  `<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><testsuites><testsuite name="x"><testcase classname="x" name="&lol3;"/></testsuite></testsuites>`
const bytes = (text: string) => Buffer.from(text)

const corpus: Record<string, Buffer> = {
  empty: Buffer.alloc(0),
  'whitespace only': bytes(' \n\t\n'),
  'truncated in a tag': bytes(valid.slice(0, 200)),
  'truncated after a suite': bytes(valid.slice(0, valid.indexOf('</testsuite>') + 12)),
  'truncated in a text node': bytes(valid.slice(0, valid.indexOf('hello') + 3)),
  'wrong root': bytes('<?xml version="1.0"?><html><body>hi</body></html>'),
  'plain text': bytes('Segmentation fault (core dumped)\n'),
  JSON: bytes('{"testResults": []}'),
  'UTF-8 BOM': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(valid)]),
  'UTF-16 LE with BOM': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, 'utf16le')]),
  'UTF-16 BE with BOM': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(valid, 'utf16le').swap16()]),
  'UTF-16 without BOM': Buffer.from(valid, 'utf16le'),
  'invalid UTF-8': Buffer.concat([bytes(valid.slice(0, 300)), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x80]), bytes(valid.slice(300))]),
  'billion laughs': bytes(laughs),
  'external entity to a local file': bytes(
    `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://${secretFile}">]><testsuites><testsuite name="s"><testcase classname="c" name="&xxe;"/></testsuite></testsuites>`,
  ),
  'parameter entity': bytes(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "file://${secretFile}"> %p;]><testsuites/>`),
  'DOCTYPE in lower case': bytes(`<?xml version="1.0"?><!doctype x><testsuites/>`),
  'a million numeric references': bytes(
    `<testsuites><testsuite name="s"><testcase classname="c" name="n"><system-out>${'&#65;'.repeat(1_000_000)}</system-out></testcase></testsuite></testsuites>`,
  ),
  '__proto__ elements': bytes(
    `<testsuites><__proto__ polluted="yes"/><testsuite name="s" __proto__="x"><testcase classname="c" name="constructor"><constructor/></testcase></testsuite></testsuites>`,
  ),
  'NUL and ESC in text': bytes(valid.replace('hello', 'he\u0000llo \u001b[31mred\u001b[0m')),
  'NUL in an attribute': bytes(valid.replace('expected 1 to be 2', 'expected \u0000 \u0007')),
  ']]> in CDATA and text': bytes(valid.replace('hello', '<![CDATA[a ]]]]><![CDATA[> b]]> ]]> c')),
  'unclosed CDATA': bytes(valid.replace('hello', '<![CDATA[never closed')),
  'unknown named entity': bytes(valid.replace('hello', '&nbsp;&foo;')),
  'numeric reference to NUL': bytes(valid.replace('hello', '&#0;&#x1B;&#xD800;')),
  'lone surrogate text': bytes(valid.replace('hello', '\ud800 \udfff')),
  'deeply nested elements': bytes(
    `<testsuites><testsuite name="s"><testcase classname="c" name="n">${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</testcase></testsuite></testsuites>`,
  ),
  'attribute without quotes': bytes('<testsuites><testsuite name=s><testcase classname=c name=n/></testsuite></testsuites>'),
  'two roots': bytes(`${valid}${valid.replace('<?xml version="1.0" encoding="UTF-8" ?>', '')}`),
  'testcase without a suite': bytes('<testsuites><testcase classname="c" name="n"/></testsuites>'),
  'negative and NaN numbers': bytes(valid.replace('tests="2"', 'tests="-5"').replace('time="0.1"', 'time="NaN"')),
  'processing instruction and comment': bytes(valid.replace('<testsuites', '<?php system("id") ?><!-- hi --><testsuites')),
  '100 MB attribute': Buffer.concat([bytes('<testsuites name="'), Buffer.alloc(100 * 1024 * 1024, 0x61), bytes('"/>')]),
}

describe('a malformed-XML corpus', () => {
  test('has at least 30 entries', () => {
    expect(Object.keys(corpus).length).toBeGreaterThanOrEqual(30)
  })

  test.each(Object.entries(corpus))('%s: read without a throw, in under 1 s, never leaking a local file', async (name, content) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.xml`)
    fs.writeFileSync(file, content)
    const started = performance.now()
    const read = await readJUnit(file)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(JSON.stringify(read)).not.toContain(SECRET)
    const shardDir = path.join(dir, `shard-${name.replace(/\W+/g, '-')}`)
    fs.mkdirSync(shardDir, { recursive: true })
    fs.copyFileSync(file, path.join(shardDir, 'junit.xml'))
    const outPath = path.join(shardDir, 'merged.xml')
    const { summary } = await mergeRun({
      runId: 'corpus',
      outcomes: [outcomeOf({ junitPath: path.join(shardDir, 'junit.xml'), files: [FILE], exitCode: 1 })],
      outPath,
    })
    const merged = fs.readFileSync(outPath, 'utf8')
    expect(merged).not.toContain(SECRET)
    expect(merged).toContain(`name="amp/fast/${FILE}"`)
    if (!read.ok) expect(summary.shards[0]!.status).toBe('report-malformed')
    expect(schemaErrors(outPath)).toBe('')
    fs.rmSync(shardDir, { recursive: true, force: true })
  })
})

test('10,000 fuzzed reports: never a throw past the reader, each under 1 s', async () => {
  let seed = 42
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n
  const pieces = [
    '<',
    '>',
    '/',
    '"',
    "'",
    '&',
    ';',
    '&#',
    '<!DOCTYPE',
    '<![CDATA[',
    ']]>',
    '\u0000',
    '\u001b',
    '\ud800',
    '=',
    ' ',
    'testcase',
    'testsuite',
    '__proto__',
  ]
  const source = Buffer.from(valid)
  let slowest = 0
  for (let i = 0; i < 10_000; i++) {
    const input = Buffer.from(source)
    let text = input.toString('latin1')
    for (let m = 0; m < 1 + next(8); m++) {
      const at = next(text.length)
      const op = next(4)
      if (op === 0) text = text.slice(0, at) + text.slice(at + 1 + next(20))
      else if (op === 1) text = text.slice(0, at) + pieces[next(pieces.length)] + text.slice(at)
      else if (op === 2) text = text.slice(0, at)
      else text = text.slice(0, at) + String.fromCharCode(next(256)) + text.slice(at + 1)
    }
    const file = path.join(dir, 'fuzz.xml')
    fs.writeFileSync(file, Buffer.from(text, next(2) ? 'latin1' : 'utf8'))
    const started = performance.now()
    await expect(readJUnit(file)).resolves.toBeDefined()
    slowest = Math.max(slowest, performance.now() - started)
  }
  expect(slowest).toBeLessThan(1000)
}, 300_000)

test('a 50 MB system-out is cut to 64 KiB in the merged report', async () => {
  const shardDir = path.join(dir, 'huge-out')
  fs.mkdirSync(shardDir, { recursive: true })
  const junitPath = path.join(shardDir, 'junit.xml')
  fs.writeFileSync(junitPath, valid.replace('hello', 'z'.repeat(50 * 1024 * 1024)))
  const outPath = path.join(shardDir, 'merged.xml')
  await mergeRun({ runId: 'huge', outcomes: [outcomeOf({ junitPath, files: [FILE], exitCode: 1 })], outPath })
  const merged = fs.readFileSync(outPath, 'utf8')
  const out = merged.match(/<system-out>([\s\S]*?)<\/system-out>/)![1]!
  expect(Buffer.byteLength(out)).toBeLessThanOrEqual(64 * 1024 + 200)
  expect(out).toMatch(/cut here/)
  expect(schemaErrors(outPath)).toBe('')
})
