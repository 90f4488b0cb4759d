#!/usr/bin/env node
// Benchmark: `xtest merge` vs junit-report-merger (jrm) on 200 Vitest-style JUnit files, 100,000 testcases in all.
// Usage: node bench/merge/run.mjs [--files 200] [--cases 100000] [--runs 3] [--cli PATH] [--baseline PATH]
// Prints wall time and peak RSS of each tool (median time, max RSS over the runs) and checks both outputs.
// `--baseline PATH` adds another built cli.js (e.g. a copy of the previous dist/) as a row, to compare two builds
// in the same invocation. The tools take turns run by run, so a noisy neighbour hits all of them alike.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { snapshotCli } from '../lib.mjs'
import { generateReports } from './generate.mjs'

// Targets: at most this share of junit-report-merger's wall time, and this peak RSS, at 100,000 testcases.
const TIME_RATIO = 0.6
const PEAK_MB = 200

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '../..')
const work = join(repo, 'bench/.work/merge')
const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`)
  return index === -1 ? fallback : Number(process.argv[index + 1])
}
const FILES = option('files', 200)
const baselineIndex = process.argv.indexOf('--baseline')
const BASELINE = baselineIndex === -1 ? undefined : resolve(process.argv[baselineIndex + 1])
const CASES = option('cases', 100_000)
const RUNS = option('runs', 3)
const PEER_VERSION = '9.0.4'
const hasGnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0

// The xtest side: the built CLI if it has a `merge` command, else mergeJUnitFiles from a fresh build of src/.
const cliHasMerge = (cli) => existsSync(cli) && /^\s+merge\b/m.test(spawnSync('node', [cli, '--help'], { encoding: 'utf8' }).stdout ?? '')
let built
function buildLibrary() {
  if (built) return built
  console.log('building src/ into bench/.work/dist ...')
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', 'bench/.work/dist'], { cwd: repo, stdio: 'inherit' })
  built = join(repo, 'bench/.work/dist/report/index.js')
  if (!existsSync(built)) throw new Error('the build did not produce bench/.work/dist/report/index.js')
  return built
}

// The input has failing tests, so `xtest merge` exits 1 (tests failed, README "Exit codes"): that is its success here.
function xtestCommand(inputs, out, cli = snapshotCli(work), label = 'xtest merge') {
  if (cliHasMerge(cli))
    return {
      label: `${label} (node ${cli.replace(`${repo}/`, '')} merge)`,
      argv: ['node', cli, 'merge', ...inputs, '-o', out],
      okStatus: [1],
    }
  const lib = buildLibrary()
  const script = `const { mergeJUnitFiles } = await import(${JSON.stringify(lib)}); const [out, ...inputs] = process.argv.slice(1); await mergeJUnitFiles(inputs, out)`
  return {
    label: 'mergeJUnitFiles (dist/cli.js has no merge command yet)',
    argv: ['node', '--input-type=module', '-e', script, out, ...inputs],
  }
}

// The same reader with junit-report-builder as the writer: what the brief preferred, measured for comparison.
function builderCommand(inputs, out) {
  const lib = buildLibrary()
  return { label: 'same reader + junit-report-builder writer', argv: ['node', join(here, 'builder-variant.mjs'), lib, out, ...inputs] }
}

function peerCommand(out) {
  const peer = join(repo, 'bench/.work/peer')
  const cli = join(peer, 'node_modules/junit-report-merger/cli.js')
  if (!existsSync(cli)) {
    mkdirSync(peer, { recursive: true })
    console.log(`installing junit-report-merger@${PEER_VERSION} into bench/.work/peer ...`)
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', peer, `junit-report-merger@${PEER_VERSION}`], {
      stdio: 'inherit',
    })
  }
  return { label: `junit-report-merger ${PEER_VERSION} (jrm)`, argv: ['node', cli, out, join(work, 'input/*.xml')] }
}

// One timed run: GNU time when present (peak RSS of the process), else a wrapper that reads resourceUsage.
function measure({ argv, okStatus = [0] }) {
  const started = process.hrtime.bigint()
  const command = hasGnuTime ? ['/usr/bin/time', '-v', ...argv] : ['node', join(here, 'measure.mjs'), ...argv]
  const result = spawnSync(command[0], command.slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (!okStatus.includes(result.status)) throw new Error(`${argv.join(' ').slice(0, 200)} failed:\n${result.stderr.slice(-2000)}`)
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1] ?? /maxRSS=(\d+)/.exec(result.stderr)?.[1]
  return { seconds, peakMb: Number(kb) / 1024 }
}

function check(out) {
  const xml = readFileSync(out, 'utf8')
  const testcases = xml.match(/<testcase\b/g)?.length ?? 0
  const root = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? ''
  let schema = 'not checked (no xmllint)'
  if (spawnSync('xmllint', ['--version']).status === 0) {
    const xsd = resolve(repo, 'test/schema/junit-10.xsd')
    const lint = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, out], { encoding: 'utf8' })
    schema = lint.status === 0 ? 'valid' : `INVALID: ${lint.stderr.split('\n')[0]}`
  }
  return { testcases, bytes: statSync(out).size, root: root.slice(0, 120), schema }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

rmSync(work, { recursive: true, force: true })
const inputs = generateReports(join(work, 'input'), FILES, CASES)
const inputBytes = inputs.reduce((sum, file) => sum + statSync(file).size, 0)
console.log(
  `${inputs.length} files, ${CASES} testcases, ${(inputBytes / 1e6).toFixed(1)} MB; ${RUNS} run(s) each; memory by ${hasGnuTime ? '/usr/bin/time -v' : 'process.resourceUsage'}\n`,
)
const tools = [
  xtestCommand(inputs, join(work, 'xtest.xml')),
  peerCommand(join(work, 'jrm.xml')),
  builderCommand(inputs, join(work, 'builder.xml')),
]
const outs = [join(work, 'xtest.xml'), join(work, 'jrm.xml'), join(work, 'builder.xml')]
if (BASELINE) {
  tools.push(xtestCommand(inputs, join(work, 'baseline.xml'), BASELINE, 'xtest merge, baseline build'))
  outs.push(join(work, 'baseline.xml'))
}
const runs = tools.map(() => [])
for (let run = 0; run < RUNS; run++) for (const [index, tool] of tools.entries()) runs[index].push(measure(tool))
const rows = tools.map((tool, index) => ({
  tool: tool.label,
  seconds: median(runs[index].map((r) => r.seconds)),
  peakMb: Math.max(...runs[index].map((r) => r.peakMb)),
  ...check(outs[index]),
}))
for (const row of rows) {
  console.log(`${row.tool}\n  time ${row.seconds.toFixed(2)} s (median)   peak RSS ${row.peakMb.toFixed(0)} MB (max)`)
  console.log(`  output: ${row.testcases} testcases, ${(row.bytes / 1e6).toFixed(1)} MB, schema ${row.schema}\n  ${row.root}\n`)
}
const [xtest, jrm] = rows
const verdicts = [
  `ratio xtest / jrm ${(xtest.seconds / jrm.seconds).toFixed(2)} (${xtest.seconds.toFixed(2)} s vs ${jrm.seconds.toFixed(2)} s)   target <= ${TIME_RATIO}   ${xtest.seconds <= jrm.seconds * TIME_RATIO ? 'MET' : 'MISSED'}`,
  `xtest peak RSS ${xtest.peakMb.toFixed(0)} MB ${xtest.peakMb <= PEAK_MB ? '<=' : 'EXCEEDS'} ${PEAK_MB} MB`,
  `xtest kept ${xtest.testcases} of ${CASES} testcases`,
]
if (BASELINE)
  verdicts.push(
    `this build / baseline: ${(xtest.seconds / rows[3].seconds).toFixed(2)} (${xtest.seconds.toFixed(2)} s vs ${rows[3].seconds.toFixed(2)} s)`,
  )
console.log(verdicts.join('\n'))
process.exitCode = xtest.seconds <= jrm.seconds * TIME_RATIO && xtest.peakMb <= PEAK_MB && xtest.testcases === CASES ? 0 : 1
