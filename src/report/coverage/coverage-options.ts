// The user's coverage options (reporters, thresholds, watermarks) as a shard's wrapper config wrote them: data from
// inside a container, so only known reporters and plain numbers pass, and no option names a file or a folder.
const REPORTERS = [
  'clover',
  'cobertura',
  'html',
  'html-spa',
  'json',
  'json-summary',
  'lcov',
  'lcovonly',
  'none',
  'teamcity',
  'text',
  'text-lcov',
  'text-summary',
] as const
type ReporterName = (typeof REPORTERS)[number]

// Reporter options that only shape the output; `file`, `subdir` and `projectRoot` are xtest's to set.
const REPORTER_OPTIONS = new Set(['skipFull', 'skipEmpty', 'maxCols', 'verbose', 'linkMapper', 'metricsToShow'])

export const METRICS = ['lines', 'functions', 'branches', 'statements'] as const
export type Metric = (typeof METRICS)[number]

export type MetricThresholds = Partial<Record<Metric, number>>

export interface Thresholds extends MetricThresholds {
  perFile?: boolean
  /** Globs (relative to the project root) with their own thresholds; their files leave the global check. */
  globs: Array<{ glob: string; perFile: boolean; metrics: MetricThresholds }>
}

export interface CoverageOptions {
  provider: string
  reporters: Array<[ReporterName, Record<string, unknown>]>
  thresholds: Thresholds
  watermarks?: Partial<Record<Metric, [number, number]>>
}

/** Vitest's default reporters. */
const DEFAULT_REPORTERS: ReporterName[] = ['text', 'html', 'clover', 'json']

/** Parses what a shard wrote (unknown JSON); anything unknown is dropped, never trusted. */
export function parseCoverageOptions(raw: unknown): CoverageOptions {
  const input = isObject(raw) ? raw : {}
  const reporters = parseReporters(input.reporter)
  const options: CoverageOptions = {
    provider: typeof input.provider === 'string' && /^[\w@/.-]{1,100}$/.test(input.provider) ? input.provider : 'v8',
    reporters: reporters.length > 0 ? reporters : DEFAULT_REPORTERS.map((name) => [name, {}]),
    thresholds: parseThresholds(input.thresholds),
  }
  const watermarks = parseWatermarks(input.watermarks)
  if (watermarks) options.watermarks = watermarks
  return options
}

function parseReporters(value: unknown): CoverageOptions['reporters'] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value.slice(0, 20) : []
  const out: CoverageOptions['reporters'] = []
  for (const entry of list) {
    const [name, opts] = Array.isArray(entry) ? entry : [entry, {}]
    if (!REPORTERS.includes(name)) continue
    const kept: Record<string, unknown> = {}
    if (isObject(opts))
      for (const [key, v] of Object.entries(opts)) if (REPORTER_OPTIONS.has(key) && ['boolean', 'number'].includes(typeof v)) kept[key] = v
    out.push([name as ReporterName, kept])
  }
  return out
}

function parseThresholds(value: unknown): Thresholds {
  const thresholds: Thresholds = { globs: [] }
  if (!isObject(value)) return thresholds
  if (value[100] === true) for (const metric of METRICS) thresholds[metric] = 100
  Object.assign(thresholds, parseMetrics(value))
  if (value.perFile === true) thresholds.perFile = true
  for (const [key, glob] of Object.entries(value)) {
    if ((METRICS as readonly string[]).includes(key) || ['perFile', 'autoUpdate', '100'].includes(key) || !isObject(glob)) continue
    if (key.length > 1000 || thresholds.globs.length >= 100) continue
    const metrics = glob[100] === true ? Object.fromEntries(METRICS.map((m) => [m, 100])) : {}
    thresholds.globs.push({ glob: key, perFile: glob.perFile === true, metrics: { ...metrics, ...parseMetrics(glob) } })
  }
  return thresholds
}

function parseMetrics(value: Record<string, unknown>): MetricThresholds {
  const out: MetricThresholds = {}
  for (const metric of METRICS) {
    const n = value[metric]
    if (typeof n === 'number' && Number.isFinite(n) && n <= 100) out[metric] = n
  }
  return out
}

function parseWatermarks(value: unknown): CoverageOptions['watermarks'] {
  if (!isObject(value)) return undefined
  const out: NonNullable<CoverageOptions['watermarks']> = {}
  for (const metric of METRICS) {
    const pair = value[metric]
    if (Array.isArray(pair) && pair.length === 2 && pair.every((n) => typeof n === 'number' && n >= 0 && n <= 100))
      out[metric] = [pair[0], pair[1]]
  }
  return out
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
