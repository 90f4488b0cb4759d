// Finish step: quarantine entries whose file is in the report but that matched none of its tests (a renamed test).
import { splitQuarantineTest } from '../../report/index.js'
import type { Finishing } from '../compose.js'

export function warnQuarantine({ request, report, quarantined, hooks }: Finishing): void {
  // Files that ran: a stand-in case (`[xtest] …`, the file has no result) says nothing about its tests.
  const ran = report.suites.filter((suite) => suite.cases.some((testCase) => !testCase.name.startsWith('[xtest] ')))
  const files = new Set(ran.flatMap((suite) => suite.file ?? []))
  for (const [index, entry] of request.quarantine.entries()) {
    const file = splitQuarantineTest(entry.test)?.[0]
    if (!quarantined.has(index) && file !== undefined && files.has(file))
      hooks.warn(`quarantine entry '${entry.test}' matches no test of ${file}`)
  }
}
