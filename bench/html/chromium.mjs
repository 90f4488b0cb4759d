// Headless Chromium for report.html, shared by bench/html/run.mjs and test/e2e/html-report-browser.test.ts:
// the installed browser at `executablePath` (no download), driven by playwright-core.
import { chromium } from 'playwright-core'

export const launchChromium = (executablePath) =>
  chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
