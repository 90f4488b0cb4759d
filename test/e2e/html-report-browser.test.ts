import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchChromium } from '../../bench/html/chromium.mjs'
import { repoRoot, runXtest } from '../helpers/cli.js'
import { htmlTotals, junitTotals } from '../helpers/html-totals.js'
import { useRepoFixtures } from '../helpers/repo-fixture.js'

// Issue 15: report.html of a real run, opened from file:// in Debian's Chromium (no browser download).
// The fixture: two tests failing with one message, a crashed shard, tests skipped by an importOrSkip guard.
const CHROMIUM = '/usr/bin/chromium'
const OUTPUT = path.join(repoRoot, '.test-output')
const copyInRepo = useRepoFixtures()

let cwd = ''
let runDir = ''
let reportUrl = ''
let browser: Browser
const requests: string[] = []
const problems: string[] = []

async function openReport(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options })
  const page = await context.newPage()
  page.on('request', (request) => {
    if (request.url() !== reportUrl) requests.push(request.url())
  })
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  await page.goto(reportUrl)
  return page
}

const rowsShown = (page: Page) => page.locator('#tests-body tr').count()

beforeAll(async () => {
  cwd = copyInRepo('report-monorepo')
  const run = await runXtest(['run', '--all', '--runtime', 'local'], { cwd, timeout: 180_000 })
  expect(run.exitCode, run.stderr).toBe(1)
  expect(run.stderr).toContain('xtest: HTML report .xtest/report.html')
  runDir = path.join(cwd, run.stderr.match(/run folder (\S+)\)/)![1]!)
  reportUrl = `file://${path.join(cwd, '.xtest', 'report.html')}`
  browser = await launchChromium(CHROMIUM)
}, 240_000)

afterAll(async () => {
  await browser?.close()
})

describe('report.html of the report-monorepo run, in Chromium', () => {
  test('one file per run, also in the run folder; totals equal the merged JUnit exactly', () => {
    const stable = path.join(cwd, '.xtest', 'report.html')
    expect(fs.readFileSync(path.join(runDir, 'report.html'), 'utf8')).toBe(fs.readFileSync(stable, 'utf8'))
    expect(htmlTotals(stable)).toEqual(junitTotals(path.join(runDir, 'junit.xml')))
    expect(junitTotals(path.join(runDir, 'junit.xml'))).toEqual({ tests: 23, failures: 2, errors: 2, skipped: 3 })
  })

  test('matrix, timeline, grouped failure, grouped skip, filter; no console error, no network request', async () => {
    const page = await openReport()
    await page.waitForSelector('#tests-body tr')
    const cell = (container: string, tier: string) => page.locator(`td.cell[data-container="${container}"][data-tier="${tier}"]`)
    await expect.poll(() => cell('amp', 'fast').innerText()).toMatch(/✖ failed\n12 passed · 2 failed · 0 errors · 0 skipped\n/)
    expect(await cell('tools', 'fast').innerText()).toMatch(/☠ killed\n0 passed · 0 failed · 0 errors · 0 skipped · 2 shard errors/)
    expect(await cell('opt', 'fast').innerText()).toMatch(/✔ passed\n1 passed · 0 failed · 0 errors · 2 skipped/)
    expect(await cell('opt', 'slow').innerText()).toContain('∅ no-tests')
    expect(await cell('amp', 'superslow').innerText()).toContain('✔ passed')
    expect(await page.locator('table.matrix td.empty').count()).toBe(3)

    // One bar per shard of the run folder; the critical path is marked; focus shows the shard's details.
    const shardDirs = fs.readdirSync(runDir).filter((name) => fs.existsSync(path.join(runDir, name, 'shard.json')))
    expect(shardDirs).toHaveLength(6)
    expect(await page.locator('svg.timeline g.bar').count()).toBe(shardDirs.length)
    expect(await page.locator('svg.timeline g.bar.critical').count()).toBeGreaterThanOrEqual(1)
    await expect
      .poll(() => page.locator('#timeline').innerText())
      .toMatch(/Critical path \(★, thick outline\): .+, spanning \S+ of \S+ wall time\./)
    expect(await page.locator('#timeline').innerText()).toMatch(/Idle capacity \(hatched\): \d+% of \d+ lanes?/)
    await page.locator('svg.timeline g.bar', { hasText: 'tools.fast' }).focus()
    expect(await page.locator('#shard-details').innerText()).toMatch(/tools\.fast: killed[\s\S]*2 errors[\s\S]*cause: crashed/)

    // Failures with one message are one group; the crash is explained in words.
    const group = page.locator('details.group', { hasText: 'expected 0.30000000000000004 to be 0.3' })
    expect(await group.locator(':scope > summary').innerText()).toMatch(/^2 tests\s+expected 0\.30000000000000004 to be 0\.3/)
    expect(await group.locator('li.failure').count()).toBe(2)
    expect(await page.locator('#failures').innerText()).toContain("What happened: The shard's Vitest process died")
    // Skips grouped by reason.
    expect(await page.locator('tr.skip').first().innerText()).toMatch(/missing module 'opt-solver' \(container opt\)\s+3 tests\s+opt/)

    // The filter: text, status, container, tier; a matrix cell sets container and tier (keyboard too).
    expect(await rowsShown(page)).toBe(23)
    await page.fill('#f-text', 'rounding')
    await expect.poll(() => rowsShown(page)).toBe(2)
    expect(await page.locator('li.failure:visible').count()).toBe(2)
    await page.click('#f-clear')
    await page.selectOption('#f-status', 'skipped')
    await expect.poll(() => rowsShown(page)).toBe(3)
    expect(await page.locator('tr.skip:visible').count()).toBe(1)
    await page.selectOption('#f-status', '')
    await page.selectOption('#f-container', 'amp')
    await page.selectOption('#f-tier', 'superslow')
    await expect.poll(() => rowsShown(page)).toBe(2)
    await page.click('#f-clear')
    await cell('tools', 'fast').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => rowsShown(page)).toBe(2)
    expect(await page.locator('#f-container').inputValue()).toBe('tools')
    expect(await page.locator('li.failure:visible').count()).toBe(2)
    await page.click('#f-clear')

    fs.mkdirSync(OUTPUT, { recursive: true })
    await page.screenshot({ path: path.join(OUTPUT, 'html-report.png'), fullPage: true })
    await page.locator('#timeline').screenshot({ path: path.join(OUTPUT, 'html-report-timeline.png') })
    expect(problems).toEqual([])
    expect(requests).toEqual([])
  })

  test('without JavaScript the summary still reads: header, matrix, timeline, failures, skips', async () => {
    const page = await openReport({ javaScriptEnabled: false })
    expect(await page.locator('header').innerText()).toMatch(/✖ failed[\s\S]*21\s+tests[\s\S]*2\s+shard errors/)
    expect(await page.locator('td.cell[data-container="amp"][data-tier="fast"]').innerText()).toContain('2 failed')
    expect(await page.locator('svg.timeline g.bar').count()).toBe(6)
    expect(await page.locator('li.failure').count()).toBe(4)
    expect(await page.locator('#filters').isVisible()).toBe(false)
    expect(requests).toEqual([])
  })
})
