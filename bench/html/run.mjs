// report.html at scale: `xtest merge` of a 100,000-testcase report with --html, then the page opened from file:// in
// headless Chromium (Debian's, driven by playwright-core). Figures against the budget: file ≤ 5 MB, usable ≤ 2 s.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { option, repo, snapshotCli } from '../lib.mjs'
import { launchChromium } from './chromium.mjs'
import { generateReport } from './generate.mjs'

const CASES = Number(option('cases', '100000'))
const RUNS = Number(option('runs', '5'))
const CHROMIUM = option('chromium', '/usr/bin/chromium')
const MAX_BYTES = 5 * 1024 * 1024
const MAX_USABLE_MS = 2000

const work = join(repo, 'bench/.work/html')
mkdirSync(work, { recursive: true })
if (!existsSync(CHROMIUM)) {
  console.error(`bench/html: ${CHROMIUM} is missing (apt-get install chromium, or .ci/browser.sh)`)
  process.exit(2)
}
const cli = snapshotCli(work, (message) => {
  console.error(`bench/html: ${message}`)
  process.exit(2)
})
const revision = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: repo, encoding: 'utf8' }).stdout.trim()
console.log(`bench/html @ ${revision}: ${CASES} testcases, ${RUNS} page loads`)

const input = join(work, `report-${CASES}.xml`)
const { files } = generateReport(input, { cases: CASES })
const html = join(work, 'report.html')
const merged = join(work, 'merged.xml')
const started = performance.now()
const merge = spawnSync('node', [cli, 'merge', input, '-o', merged, '--html', html], {
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1', CI: 'true' },
})
const mergeMs = performance.now() - started
if (merge.status !== 1 || !existsSync(html)) {
  console.error(`bench/html: xtest merge failed (exit ${merge.status}):\n${merge.stderr}`)
  process.exit(2)
}
const bytes = statSync(html).size
console.log(
  `input ${files} files, ${(statSync(input).size / 1e6).toFixed(1)} MB of JUnit; xtest merge --html took ${(mergeMs / 1000).toFixed(1)} s`,
)

const browser = await launchChromium(CHROMIUM)
const usable = []
const filter = []
const requests = []
for (let run = 0; run <= RUNS; run++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url())
  })
  const t0 = performance.now()
  await page.goto(`file://${html}`, { waitUntil: 'domcontentloaded' })
  // Usable: the script has parsed the data and rendered the first rows of the test list.
  await page.waitForSelector('#tests-body tr')
  const loaded = performance.now() - t0
  const t1 = performance.now()
  await page.fill('#f-text', 'module-1234.test.ts')
  await page.waitForFunction(() => document.getElementById('tests-count').textContent.startsWith('Showing 50 of 50 matching'))
  const filtered = performance.now() - t1 - 150 // the filter box waits 150 ms for more typing
  await page.close()
  if (run === 0) continue // warm-up
  usable.push(loaded)
  filter.push(filtered)
}
await browser.close()

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const row = (label, values, budget) =>
  console.log(
    `${label.padEnd(26)} median ${median(values).toFixed(0).padStart(5)} ms  min ${Math.min(...values)
      .toFixed(0)
      .padStart(5)}  max ${Math.max(...values)
      .toFixed(0)
      .padStart(5)}${budget ? `  budget ${budget} ms, ratio ${(median(values) / budget).toFixed(2)}` : ''}`,
  )
console.log(`report.html ${(bytes / 1024 / 1024).toFixed(2)} MiB  budget 5 MiB, ratio ${(bytes / MAX_BYTES).toFixed(2)}`)
row('open → usable', usable, MAX_USABLE_MS)
row('filter (after 150 ms wait)', filter)
console.log(`network requests: ${requests.length}`)
const ok = bytes <= MAX_BYTES && median(usable) <= MAX_USABLE_MS && requests.length === 0
console.log(ok ? 'targets met' : 'TARGET MISSED')
process.exit(ok ? 0 : 1)
