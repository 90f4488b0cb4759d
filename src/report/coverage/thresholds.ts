// Coverage thresholds from the user's Vitest config, checked once on the merged coverage (never per shard), with
// Vitest's own rules and wording: a positive number is the least percentage, a negative one the most uncovered items;
// files matching a glob are checked against that glob's thresholds and leave the global check.
import path from 'node:path'
import libCoverage, { type CoverageMap, type CoverageSummary } from 'istanbul-lib-coverage'
import micromatch from 'micromatch'
import { METRICS, type MetricThresholds, type Thresholds } from './coverage-options.js'

/** One line per threshold the merged coverage misses (empty: all met). `projectRoot` anchors the globs and names. */
export function checkThresholds(map: CoverageMap, thresholds: Thresholds, projectRoot: string): string[] {
  const failures: string[] = []
  const relative = (file: string) => path.relative(projectRoot, file).split(path.sep).join('/')
  const files = map.files()
  const inGlob = new Set<string>()
  for (const { glob, perFile, metrics } of thresholds.globs) {
    const matched = files.filter((file) => micromatch.isMatch(relative(file), glob, { dot: true }))
    for (const file of matched) inGlob.add(file)
    check(matched, metrics, perFile, `"${glob}"`)
  }
  check(
    files.filter((file) => !inGlob.has(file)),
    thresholds,
    thresholds.perFile === true,
    'global',
  )
  return failures

  function check(group: string[], metrics: MetricThresholds, perFile: boolean, name: string) {
    if (!METRICS.some((metric) => metrics[metric] !== undefined)) return
    if (perFile)
      for (const file of group)
        compare(map.fileCoverageFor(file).toSummary(), metrics, `${name === 'global' ? '' : `${name} `}threshold`, relative(file))
    else {
      const summary = libCoverage.createCoverageSummary()
      for (const file of group) summary.merge(map.fileCoverageFor(file).toSummary())
      compare(summary, metrics, `${name} threshold`)
    }
  }

  function compare(summary: CoverageSummary, metrics: MetricThresholds, what: string, file?: string) {
    for (const metric of METRICS) {
      const threshold = metrics[metric]
      if (threshold === undefined) continue
      const { total, covered, pct } = summary[metric]
      const where = file ? ` for ${file}` : ''
      if (threshold >= 0 && pct < threshold) failures.push(`Coverage for ${metric} (${pct}%) does not meet ${what} (${threshold}%)${where}`)
      else if (threshold < 0 && total - covered > -threshold)
        failures.push(`Uncovered ${metric} (${total - covered}) exceed ${what} (${-threshold})${where}`)
    }
  }
}
