// The shard's report.json: the suites of its junit.xml as JSON, written beside it from the same data. The host reads
// it instead of the XML (report/read-shard-report.ts), as JSON.parse reads it several times faster than an XML parser.
import type { JUnitReport } from './junit-report.js'

export const SHARD_REPORT_FILE = 'report.json'
export const SHARD_REPORT_FORMAT = 'xtest-shard-report 1'

export const renderShardReport = (report: JUnitReport): string => JSON.stringify({ format: SHARD_REPORT_FORMAT, ...report })
