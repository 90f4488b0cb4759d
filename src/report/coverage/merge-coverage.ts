// The host's half of coverage: every shard's (or CI part's) raw Istanbul coverage, mapped to repository paths,
// merged with istanbul-lib-coverage (as Vitest merges its own shards), written in the reporters the user's Vitest
// config names, and checked against its thresholds once, on the merged result.
import fs from 'node:fs'
import path from 'node:path'
import libCoverage, { type CoverageMap, type CoverageMapData } from 'istanbul-lib-coverage'
import libReport from 'istanbul-lib-report'
import reports from 'istanbul-reports'
import { readRegularFile } from '../../core/safe-fs.js'
import { writeOutput } from '../../shared/write-output.js'
import { METRICS, type Metric, parseCoverageOptions } from './coverage-options.js'
import { readRawCoverage } from './raw-coverage.js'
import { checkThresholds } from './thresholds.js'

/** Most bytes of one raw coverage file the host reads (a shard's or a CI part's). */
const MAX_COVERAGE_BYTES = 256 * 1024 * 1024
/** The raw, repository-relative coverage a run leaves in its coverage folder, for `xtest merge --coverage`. */
export const RAW_COVERAGE_FILE = 'xtest-coverage.json'

export interface CoverageShard {
  container: string
  tier: string
  /** Host folder holding the shard's coverage-final.json and coverage-options.json. */
  dir: string
  /** Where the shard saw the repository (`/app` in a container, the repository itself locally). */
  shardRoot: string
}

export interface MergeCoverageInput {
  /** A run's shards. */
  shards?: CoverageShard[]
  /** `xtest merge --coverage`: the xtest-coverage.json files CI parts uploaded. */
  parts?: string[]
  /** Host path of the repository the paths are relative to. */
  repoRoot: string
  /** The project's folder: reporters' relative paths and threshold globs start here (Vitest's root). */
  projectRoot: string
  /** The merged report's folder (cleared first when a previous merge made it). */
  outDir: string
  warn(line: string): void
}

export type CoverageTotals = Record<Metric, { covered: number; total: number; pct: number }>

export interface MergedCoverage {
  dir: string
  totals: CoverageTotals
  /** Totals of each container's and each tier's shards alone. */
  byContainer: Record<string, CoverageTotals>
  byTier: Record<string, CoverageTotals>
  /** One line per threshold missed: the run fails (exit 1). */
  failures: string[]
  /** What the text reporters printed, for the terminal. */
  text: string
}

// A container or tier name as a config allows it: anything else in an uploaded file is not xtest's.
const NAME = /^[A-Za-z0-9._-]{1,100}$/

interface Piece {
  container: string
  tier: string
  data: CoverageMapData
}

/** Merges, writes the reports and the raw file, checks the thresholds; undefined when no shard wrote coverage. */
export async function mergeCoverage(input: MergeCoverageInput): Promise<MergedCoverage | undefined> {
  const pieces: Piece[] = []
  let options: unknown
  const without: string[] = []
  for (const shard of input.shards ?? []) {
    const raw = readJson(path.join(shard.dir, 'coverage-final.json'), input.warn)
    if (raw === undefined) {
      without.push(`${shard.container}/${shard.tier}`)
      continue
    }
    const { data, dropped } = readRawCoverage(raw, shard.shardRoot)
    if (dropped > 0)
      input.warn(
        `coverage: ignored ${dropped} entr${dropped === 1 ? 'y' : 'ies'} of shard ${shard.container}/${shard.tier} (outside the repository or malformed)`,
      )
    pieces.push({ container: shard.container, tier: shard.tier, data })
    options ??= readJson(path.join(shard.dir, 'coverage-options.json'), input.warn)
  }
  for (const part of input.parts ?? []) {
    const raw = readJson(part, input.warn)
    if (!isObject(raw) || raw.format !== 'xtest-coverage' || !Array.isArray(raw.shards)) {
      if (raw !== undefined) input.warn(`coverage: ${part} is not a raw xtest coverage file (${RAW_COVERAGE_FILE})`)
      continue
    }
    options ??= raw.options
    for (const shard of raw.shards.slice(0, 100_000)) {
      if (!isObject(shard) || !NAME.test(String(shard.container)) || !NAME.test(String(shard.tier))) continue
      // Stored relative to the repository: the same check as a shard's, from a root of '/'.
      const rooted = isObject(shard.coverage) ? Object.fromEntries(Object.entries(shard.coverage).map(([k, v]) => [`/${k}`, v])) : {}
      pieces.push({ container: String(shard.container), tier: String(shard.tier), data: readRawCoverage(rooted, '/').data })
    }
  }
  if (pieces.length === 0) return undefined
  // A shard that crashed, timed out or never started: the merged figures lack what only its tests ran.
  if (without.length > 0) input.warn(`coverage: no coverage from shard(s) ${[...new Set(without)].join(', ')}; the merged report lacks it`)
  const parsed = parseCoverageOptions(options)
  const absolute = (data: CoverageMapData) => {
    const out: CoverageMapData = {}
    for (const [rel, file] of Object.entries(data)) {
      const abs = path.join(input.repoRoot, rel)
      out[abs] = { ...file, path: abs }
    }
    return out
  }
  const merged = mapOf(pieces.map((piece) => absolute(piece.data)))
  // Cleared as Vitest clears its reportsDirectory, but only a folder a previous merge made (never a user's ./coverage).
  if (fs.existsSync(path.join(input.outDir, RAW_COVERAGE_FILE))) fs.rmSync(input.outDir, { recursive: true, force: true })
  fs.mkdirSync(input.outDir, { recursive: true })
  const text = writeReports(merged, parsed, input)
  const shards = pieces.map(({ container, tier, data }) => ({ container, tier, coverage: data }))
  const raw = { format: 'xtest-coverage', version: 1, options, shards }
  await writeOutput(path.join(input.outDir, RAW_COVERAGE_FILE), JSON.stringify(raw))
  const group = (key: 'container' | 'tier') => {
    const names = [...new Set(pieces.map((piece) => piece[key]))].sort()
    return Object.fromEntries(names.map((name) => [name, totalsOf(mapOf(pieces.filter((p) => p[key] === name).map((p) => p.data)))]))
  }
  return {
    dir: input.outDir,
    totals: totalsOf(merged),
    byContainer: group('container'),
    byTier: group('tier'),
    failures: checkThresholds(merged, parsed.thresholds, input.projectRoot),
    text,
  }
}

function mapOf(datas: CoverageMapData[]): CoverageMap {
  const map = libCoverage.createCoverageMap({})
  for (const data of datas) map.merge(data)
  return map
}

function totalsOf(map: CoverageMap): CoverageTotals {
  const summary = map.getCoverageSummary()
  return Object.fromEntries(
    METRICS.map((metric) => {
      const { covered, total, pct } = summary[metric]
      return [metric, { covered, total, pct }]
    }),
  ) as CoverageTotals
}

// The text reporters write to a file here and come back as text: the caller decides where the terminal is.
const TERMINAL = new Set(['text', 'text-summary', 'text-lcov', 'teamcity'])

function writeReports(map: CoverageMap, options: ReturnType<typeof parseCoverageOptions>, input: MergeCoverageInput): string {
  let text = ''
  const context = libReport.createContext({
    dir: input.outDir,
    coverageMap: map,
    ...(options.watermarks && { watermarks: options.watermarks as never }),
  })
  for (const [name, reporterOptions] of options.reporters) {
    const terminal = TERMINAL.has(name) ? `.terminal-${name}.txt` : undefined
    const report = reports.create(name, {
      projectRoot: input.projectRoot,
      ...reporterOptions,
      ...(terminal && { file: terminal }),
    } as never)
    ;(report as unknown as { execute(context: libReport.Context): void }).execute(context)
    if (terminal) {
      const file = path.join(input.outDir, terminal)
      text += fs.readFileSync(file, 'utf8')
      fs.rmSync(file, { force: true })
    }
  }
  return text
}

function readJson(file: string, warn: (line: string) => void): unknown {
  const read = readRegularFile(file, MAX_COVERAGE_BYTES)
  if (!read.ok) {
    if (read.kind !== 'missing') warn(`coverage: ${read.message}`)
    return undefined
  }
  try {
    return JSON.parse(read.value.toString('utf8'))
  } catch {
    warn(`coverage: ${file} is not JSON`)
    return undefined
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
