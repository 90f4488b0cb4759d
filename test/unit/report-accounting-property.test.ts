import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import type { ShardOutcome } from '../../src/core/shard.js'
import type { Tier } from '../../src/core/tiers.js'
import { exitCodeFor, mergeRun, parseJUnit } from '../../src/report/index.js'
import { tempDir } from '../fixtures-junit/helpers.js'
import { random } from '../helpers/random.js'

// Whatever happens to the shards, every planned file is accounted for, keys are unique,
// totals add up, and the exit code follows the status table.
type Fate = 'pass' | 'fail' | 'crash' | 'timeout' | 'empty' | 'truncated' | 'missing'
const FATES: Fate[] = ['pass', 'fail', 'crash', 'timeout', 'empty', 'truncated', 'missing']
const TIER_NAMES: Tier[] = ['fast', 'slow', 'superslow']

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')

function shardXml(files: string[], fail: boolean): string {
  const suites = files.map((file, i) => {
    const failure = fail && i === 0 ? '<failure message="expected 1 to be 2" type="AssertionError">AssertionError</failure>' : ''
    return (
      `<testsuite name="${escapeXml(file)}" tests="2" failures="${failure ? 1 : 0}" errors="0" skipped="0" time="0.01">` +
      `<testcase classname="${escapeXml(file)}" name="works" time="0.005">${failure}</testcase>` +
      `<testcase classname="${escapeXml(file)}" name="also works" time="0.005"/></testsuite>`
    )
  })
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="vitest tests" tests="${files.length * 2}">${suites.join('')}</testsuites>\n`
}

function writeOutcome(dir: string, id: string, container: string, tier: Tier, files: string[], fate: Fate): ShardOutcome {
  const shardDir = path.join(dir, id)
  fs.mkdirSync(shardDir, { recursive: true })
  const junitPath = path.join(shardDir, 'junit.xml')
  const logPath = path.join(shardDir, 'output.log')
  fs.writeFileSync(logPath, `started ${id}\n`)
  const xml = shardXml(files, fate === 'fail')
  if (fate === 'pass' || fate === 'fail' || fate === 'crash')
    fs.writeFileSync(junitPath, fate === 'crash' ? xml.slice(0, xml.length / 2) : xml)
  if (fate === 'empty') fs.writeFileSync(junitPath, '')
  if (fate === 'truncated') fs.writeFileSync(junitPath, xml.slice(0, Math.max(10, xml.length - 40)))
  const exitCode =
    fate === 'pass' || fate === 'empty' || fate === 'truncated' || fate === 'missing'
      ? 0
      : fate === 'fail'
        ? 1
        : fate === 'crash'
          ? 137
          : null
  return {
    id,
    container,
    tier,
    files,
    runtime: 'docker',
    command: ['node'],
    startedAt: new Date(0).toISOString(),
    endedAt: new Date(10).toISOString(),
    durationMs: 10,
    exitCode,
    signal: fate === 'crash' ? 'SIGKILL' : null,
    ended: fate === 'timeout' ? 'timeout' : undefined,
    cause: fate === 'timeout' ? 'timed out' : undefined,
    junitPath,
    logPath,
  }
}

test('1,000 random plans × random shard outcomes: nothing lost, nothing doubled, totals and exit codes right', async () => {
  const root = tempDir()
  for (let trial = 0; trial < 1000; trial++) {
    const pick = random(trial + 1)
    const dir = path.join(root, String(trial))
    const outcomes: ShardOutcome[] = []
    const planned: string[] = []
    const fates: Fate[] = []
    for (let c = 0; c < 1 + pick(3); c++) {
      for (const tier of TIER_NAMES.slice(0, 1 + pick(3))) {
        const files = Array.from({ length: 1 + pick(4) }, (_, f) => `pkg${c}/dir${pick(3)}/f${f}.test.ts`)
        const fate = FATES[pick(FATES.length)]!
        fates.push(fate)
        planned.push(...files.map((file) => `c${c}/${tier}/${file}`))
        outcomes.push(writeOutcome(dir, `c${c}.${tier}`, `c${c}`, tier, files, fate))
      }
    }
    const outPath = path.join(dir, 'junit.xml')
    const { summary } = await mergeRun({ runId: `t${trial}`, outcomes, outPath })
    const read = parseJUnit(fs.readFileSync(outPath, 'utf8'))
    if (!read.ok) throw new Error(`trial ${trial}: merged report unreadable: ${read.message}`)
    const suites = read.value.report.suites
    const suiteNames = new Set(suites.map((s) => s.name))
    for (const key of planned) expect(suiteNames.has(key), `trial ${trial}: ${key} not in the report`).toBe(true)
    const keys = suites.flatMap((s) => s.cases.map((c) => `${s.name}\u0000${c.classname}\u0000${c.name}`))
    expect(new Set(keys).size, `trial ${trial}: duplicate testcase keys`).toBe(keys.length)
    const caseCount = suites.reduce((n, s) => n + s.cases.length, 0)
    // xtest's own cases are counted apart from the tests, never lost: together they are every case of the file.
    expect(summary.totals.tests + (summary.totals.shardErrors ?? 0)).toBe(caseCount)
    const merged = fs.readFileSync(outPath, 'utf8')
    expect(Number(merged.match(/<testsuites[^>]* tests="(\d+)"/)![1])).toBe(caseCount)
    expect(exitCodeFor(summary), `trial ${trial}: fates ${fates.join(',')}`).toBe(fates.every((f) => f === 'pass') ? 0 : 1)
    fs.rmSync(dir, { recursive: true, force: true })
  }
}, 240_000)
