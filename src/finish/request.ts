// What the finish stage is asked to do after a merge. `xtest run`/run() (run/finish.ts) and `xtest merge`/merge()
// (run/merge-request.ts) each build one from their checked options; the steps (finish/compose.ts) read only this.
import type { WorkflowCommands } from '../core/printable.js'
import type { ShardOutcome, ShardSpec } from '../core/shard.js'
import type { Shard } from '../plan/types.js'
import type { CoverageShard } from '../report/coverage/merge-coverage.js'
import type { QuarantineEntry, RunSummary } from '../report/index.js'
import type { ResultCache } from '../run/cache/result-cache.js'
import type { SplitPart } from '../store/part-timings.js'
import type { Timings } from '../store/timings.js'

export interface FinishRequest {
  /** The HTML page's title: `xtest run <id>`, `xtest merge of 2 reports`. */
  title: string
  /** GITHUB_STEP_SUMMARY gets the Markdown summary. */
  env: NodeJS.ProcessEnv
  /** `--summary`: the Markdown summary's file (checked writable). */
  summaryPath?: string
  /** Where report.html goes (none: no page); its source excerpts are read under `root` (the config's, else here). */
  htmlPaths: readonly string[]
  root: string
  /** Record the durations in this timings.json; a `--shard` part waits for its split's other parts. */
  timings?: { file: string; part?: SplitPart }
  /** Append the outcomes to the flaky history kept next to this timings.json. */
  historyOf?: string
  /** The config's quarantine: entries that matched no test of a file that ran are warned about. */
  quarantine: readonly QuarantineEntry[]
  /** Merge raw coverage into `outDir`: a run's shards, or the xtest-coverage.json files CI parts uploaded (a glob). */
  coverage?: { outDir: string; repoRoot: string; projectRoot: string; from: CoverageShard[] | { parts: string | true } }
  /** Under GitHub Actions: `::error` annotations, paths prefixed with the project's folder in its repository. */
  annotate?: { pathPrefix: string }
  /** `xtest run` only: the result cache, the drift (planned shards and timings), the pruning, the interruption. */
  run?: {
    /** What the shards did; a configError (a shard's Vitest refused the config) is thrown after the finish (exit 2). */
    result: { folder: { runId: string; dir: string }; specs: readonly ShardSpec[]; outcomes: readonly ShardOutcome[]; configError?: Error }
    /** The `--junit` copy, named in the closing line. */
    junitPath: string
    cache: ResultCache | undefined
    shards: readonly Shard[]
    plannedTimings: Timings
    prune: { root: string; outputDir: string; keepRuns: number | false }
    interrupted: boolean
  }
}

/** How the finish stage talks; it never prints. */
export interface FinishHooks {
  /** A line for the person running xtest (the CLI prints `xtest: <line>` on stderr). */
  notice(line: string): void
  warn(line: string): void
  /** The summary is complete (flaky tests), before the summary files: the CLI prints it here. */
  onSummary?(summary: RunSummary): void | Promise<void>
  /** GitHub Actions annotations (the CLI writes them past its guard on workflow commands). */
  onAnnotations?(commands: WorkflowCommands): void
}
