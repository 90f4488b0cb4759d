// Writes `files` Vitest-style JUnit reports (the shape Vitest 4.1's junit reporter writes: one <testsuite> per file, classname = file) holding `cases` testcases in all.
// Deterministic: the same arguments give the same bytes.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const escapeXml = (text) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')

function testcase(file, index) {
  const name = escapeXml(`group ${index % 7} > behaves case ${index} with input ${(index * 7919) % 1000}`)
  const time = ((index * 37) % 900) / 10000
  const head = `        <testcase classname="${file}" name="${name}" time="${time}">`
  if (index % 50 === 7) {
    const message = escapeXml(`expected ${index} to be ${index + 1} // Object.is equality`)
    const stack = [
      `AssertionError: expected ${index} to be ${index + 1} // Object.is equality`,
      '',
      '- Expected',
      '+ Received',
      '',
      `- ${index + 1}`,
      `+ ${index}`,
      '',
      ` ❯ ${file}:${10 + (index % 90)}:${5 + (index % 20)}`,
    ].join('\n')
    return `${head}\n            <failure message="${message}" type="AssertionError">\n${escapeXml(stack)}\n            </failure>\n        </testcase>`
  }
  if (index % 20 === 3) return `${head}\n            <skipped/>\n        </testcase>`
  if (index % 10 === 5)
    return `${head}\n            <system-out>\nlog line for case ${index} &lt;ok&gt;\n\n            </system-out>\n        </testcase>`
  return `${head}\n        </testcase>`
}

/** Writes the reports into `dir` and returns their paths. */
export function generateReports(dir, files, cases) {
  mkdirSync(dir, { recursive: true })
  const paths = []
  let next = 0
  for (let f = 0; f < files; f++) {
    const count = Math.floor(cases / files) + (f < cases % files ? 1 : 0)
    const file = `src/pkg${f % 20}/module${f}.test.ts`
    const body = Array.from({ length: count }, (_, i) => testcase(file, next + i))
    const failures = body.filter((xml) => xml.includes('<failure')).length
    const skipped = body.filter((xml) => xml.includes('<skipped')).length
    next += count
    const suite = `    <testsuite name="${file}" timestamp="2026-11-21T10:00:00.000Z" hostname="bench" tests="${count}" failures="${failures}" errors="0" skipped="${skipped}" time="${(count * 0.0045).toFixed(3)}">`
    const xml = `<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="vitest tests" tests="${count}" failures="${failures}" errors="0" time="${(count * 0.0045).toFixed(3)}">\n${suite}\n${body.join('\n')}\n    </testsuite>\n</testsuites>\n`
    const path = join(dir, `shard-${String(f).padStart(3, '0')}.xml`)
    writeFileSync(path, xml)
    paths.push(path)
  }
  return paths
}
