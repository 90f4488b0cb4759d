// Finish step, before the summaries: the coverage of a run's shards (or of what CI parts uploaded) merged into one
// report in the user's reporters (report/coverage/); its thresholds hold for the merged result only (exit-code.ts).
import path from 'node:path'
import type { CoverageShard } from '../../report/coverage/merge-coverage.js'
import { isFsError, noteWriteFault } from '../../shared/write-faults.js'
import type { Finishing } from '../compose.js'

export async function mergeCoverage({ request: { coverage }, summary, hooks }: Finishing): Promise<void> {
  if (!coverage) return
  // Istanbul's libraries load only for a run with coverage.
  const { mergeCoverage, RAW_COVERAGE_FILE } = await import('../../report/coverage/merge-coverage.js')
  const { outDir, repoRoot, projectRoot, from } = coverage
  let sources: { shards: CoverageShard[] } | { parts: string[] }
  let pattern = ''
  if (Array.isArray(from)) sources = { shards: from }
  else {
    const { default: fg } = await import('fast-glob')
    pattern = from.parts === true ? `**/${RAW_COVERAGE_FILE}` : from.parts
    const parts = (await fg(pattern, { ignore: ['**/node_modules/**'], onlyFiles: true, absolute: true })).sort()
    if (parts.length === 0)
      return hooks.warn(`coverage: no file matches ${pattern} (upload each part's <outputDir>/coverage/${RAW_COVERAGE_FILE})`)
    sources = { parts }
  }
  const merged = await mergeCoverage({ ...sources, repoRoot, projectRoot, outDir, warn: hooks.warn }).catch((error: unknown) => {
    // A disk that refuses the report costs the run exit 3 (the last step), never the JUnit already written.
    if (!isFsError(error)) throw error
    noteWriteFault(outDir, error)
    return null
  })
  if (merged === null) return
  if (!merged)
    return hooks.warn(
      'shards' in sources
        ? 'coverage: no shard wrote coverage (is @vitest/coverage-v8 or -istanbul installed where the tests run?)'
        : `coverage: none of the ${sources.parts.length} file(s) matching ${pattern} holds coverage`,
    )
  summary.coverage = merged
  hooks.notice(`merged coverage ${path.relative(process.cwd(), outDir) || outDir}`)
}
