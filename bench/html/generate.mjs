// A merged xtest report of N testcases, as `xtest run` writes it: suites `<container>/<tier>/<file>` with the shard
// properties (status, started_at, duration_ms, ...), 1 % failures (20 distinct messages, stack traces), 3 % skips
// (a few reasons), some flaky tests. Seeded: every run gets the same file.
import { writeFileSync } from 'node:fs'
import { seededRandom } from '../lib.mjs'

const xml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export function generateReport(path, { cases = 100_000, perFile = 50, shards = 12 } = {}) {
  const random = seededRandom(15)
  const files = Math.ceil(cases / perFile)
  const containers = ['amp', 'opt']
  const tiers = ['fast', 'slow', 'superslow']
  const start = Date.parse('2025-06-01T10:00:00.000Z')
  const shardInfo = Array.from({ length: shards }, (_, i) => ({
    container: containers[i % 2],
    tier: tiers[Math.floor(i / 2) % 3],
    id: `${containers[i % 2]}.${tiers[Math.floor(i / 2) % 3]}.${Math.floor(i / 6) + 1}`,
    startedAt: new Date(start + Math.floor(i / 4) * 60_000 + i * 700).toISOString(),
    durationMs: 40_000 + Math.floor(random() * 50_000),
  }))
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="xtest bench">\n']
  let written = 0
  for (let f = 0; f < files; f++) {
    const shard = shardInfo[f % shards]
    const file = `packages/pkg-${String(f % 97).padStart(3, '0')}/src/module-${f}.test.ts`
    const body = []
    const count = Math.min(perFile, cases - written)
    let failures = 0
    let skipped = 0
    for (let t = 0; t < count; t++, written++) {
      const name = `${['parser', 'renderer', 'store', 'api client', 'scheduler'][t % 5]} > handles input variant ${t + 1}`
      const roll = random()
      const time = (random() * 0.05).toFixed(3)
      let inner = ''
      if (roll < 0.01) {
        failures++
        const message = `expected ${Math.floor(random() * 20)} to be 42 // Object.is equality`
        inner = `<failure message="${xml(message)}" type="AssertionError">${xml(`AssertionError: ${message}\n    at /app/${file}:${10 + t}:7\n    at file:///app/node_modules/@vitest/runner/dist/index.js:146:14`)}</failure>`
      } else if (roll < 0.04) {
        skipped++
        inner = `<skipped message="${xml(roll < 0.03 ? `missing module 'opt-solver' (container ${shard.container})` : 'todo')}"/>`
      } else if (roll < 0.042) {
        inner = '<properties><property name="flaky" value="true"/></properties>'
      }
      body.push(`<testcase classname="${xml(file)}" name="${xml(name)}" time="${time}">${inner}</testcase>`)
    }
    const properties = [
      ['container', shard.container],
      ['tier', shard.tier],
      ['shard', shard.id],
      ['status', 'failed'],
      ['runtime', 'docker'],
      ['image', `${shard.container}:1.4`],
      ['image_id', 'sha256:0123456789abcdef'],
      ['exit_code', '1'],
      ['duration_ms', shard.durationMs],
      ['started_at', shard.startedAt],
    ]
      .map(([name, value]) => `<property name="${name}" value="${xml(value)}"/>`)
      .join('')
    out.push(
      `<testsuite name="${xml(`${shard.container}/${shard.tier}/${file}`)}" file="${xml(file)}" tests="${count}" failures="${failures}" errors="0" skipped="${skipped}" time="${(count * 0.025).toFixed(3)}"><properties>${properties}</properties>${body.join('')}</testsuite>\n`,
    )
  }
  out.push('</testsuites>\n')
  writeFileSync(path, out.join(''))
  return { files, cases: written }
}
