// The report side's public API: read, merge and summarize JUnit. Never touches Docker or `process`.

export { renderJUnit } from '../core/junit-write.js'
export { sanitizeText } from '../core/xml-text.js'
export { type AnnotationOptions, formatAnnotations } from './annotations.js'
export { CACHED, type CachedSuite, countCached, isCached } from './cached-suites.js'
export { formatCoverageText } from './coverage/coverage-summary.js'
export { exitCodeFor } from './exit-code.js'
export type { Merged, ReportExtras } from './finish-report.js'
export type { HtmlReportInput } from './html/model.js'
export { renderHtmlReport } from './html/render.js'
export { type WriteHtmlOptions, writeHtmlReport } from './html/write.js'
export { type LogTail, readLogTail } from './log-tail.js'
export { type MergeRunOptions, mergeRun } from './merge.js'
export { type MergeFilesOptions, mergeJUnitFiles, mergeParts, mergeReports } from './merge-files.js'
export type { MergePlan, PartReport } from './merge-plan.js'
export { type TestOutcome, testOutcomes } from './outcomes.js'
export { applyQuarantine, isExpired, type QuarantineEntry, splitQuarantineTest, todayOf } from './quarantine.js'
export { parseJUnit, type ReadJUnitOptions, readJUnit } from './read-junit.js'
export { COMPLETES, PART, PLAN_HASH, QUARANTINED } from './run-properties.js'
export { type SummarizeInput, summarizeReport } from './summarize.js'
export { formatSummaryMarkdown, type SummaryMarkdownOptions } from './summary-markdown.js'
export { formatSummaryText, type SummaryTextOptions } from './summary-text.js'
export {
  type CaseResult,
  type Counts,
  DEFAULT_LIMITS,
  type FailureGroup,
  type FailureInfo,
  type Fault,
  type FileTime,
  type FlakyTest,
  type JUnitReport,
  type ReadProblemKind,
  type ReadResult,
  type ReportCase,
  type ReportLimits,
  type ReportProperty,
  type ReportSuite,
  type RunSummary,
  type ShardSummary,
  type SummaryRow,
  type SyntheticKind,
} from './types.js'
export { decideShardStatus, type Verdict, type VerdictInput } from './verdict.js'
export { writeJUnit } from './write-junit.js'
