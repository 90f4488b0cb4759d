// The report side's public API: read, merge and summarize JUnit. Never touches Docker or `process`.
export { readJUnit, parseJUnit, type ReadJUnitOptions } from './read-junit.js'
export { writeJUnit } from './write-junit.js'
export { renderJUnit } from '../core/junit-write.js'
export { mergeRun, type MergeRunOptions } from './merge.js'
export { mergeJUnitFiles, mergeParts, mergeReports, type MergeFilesOptions } from './merge-files.js'
export type { MergePlan, PartReport } from './merge-plan.js'
export type { Merged, ReportExtras } from './finish-report.js'
export { applyQuarantine, isExpired, splitQuarantineTest, todayOf, type QuarantineEntry } from './quarantine.js'
export { COMPLETES, PART, PLAN_HASH, QUARANTINED } from './run-properties.js'
export { testOutcomes, type TestOutcome } from './outcomes.js'
export { CACHED, countCached, isCached, type CachedSuite } from './cached-suites.js'
export { decideShardStatus, type Verdict, type VerdictInput } from './verdict.js'
export { summarizeReport, type SummarizeInput } from './summarize.js'
export { formatSummaryText, type SummaryTextOptions } from './summary-text.js'
export { formatSummaryMarkdown, type SummaryMarkdownOptions } from './summary-markdown.js'
export { formatAnnotations, type AnnotationOptions } from './annotations.js'
export { exitCodeFor } from './exit-code.js'
export { readLogTail, type LogTail } from './log-tail.js'
export { sanitizeText } from '../core/xml-text.js'
export {
  DEFAULT_LIMITS,
  type CaseResult,
  type Counts,
  type FailureGroup,
  type FlakyTest,
  type FailureInfo,
  type Fault,
  type FileTime,
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
export { writeHtmlReport, type WriteHtmlOptions } from './html/write.js'
export { renderHtmlReport } from './html/render.js'
export type { HtmlReportInput } from './html/model.js'
