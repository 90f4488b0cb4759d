// A shard that ended without a report: the tail of its output.log is diagnosed (shared/shard-diagnosis.ts), and its
// outcome's cause says what Vitest said, for the terminal, the summaries, the HTML and the JUnit alike.
import fs from 'node:fs'
import path from 'node:path'
import { progressBeside } from '../core/progress.js'
import type { ShardOutcome, ShardSpec } from '../core/shard.js'
import { readLogTail } from '../report/log-tail.js'
import { readProgress } from '../report/progress-read.js'
import { REPO_MOUNT } from '../runtimes/repo-mounts.js'
import { formatDuration } from '../shared/duration.js'
import { cleanLine, DIAGNOSIS_INPUT_CHARS, describeDiagnosis, diagnoseShardLog } from '../shared/shard-diagnosis.js'

const TAIL_LINES = 400

/**
 * Sets `diagnosis` and the cause of a shard that ran, ended on its own (or out of memory) and wrote no JUnit; a shard
 * that timed out gets the tests that were still running named in its cause.
 */
export async function diagnoseOutcome(outcome: ShardOutcome, spec: ShardSpec): Promise<void> {
  if (outcome.ended === 'timeout') return nameRunningTests(outcome, spec)
  if (outcome.durationMs === 0 || !outcome.logPath || (outcome.ended !== undefined && outcome.ended !== 'oom')) return
  if (fs.existsSync(outcome.junitPath)) return
  const tail = await readLogTail(outcome.logPath, TAIL_LINES, DIAGNOSIS_INPUT_CHARS)
  if (!tail) return
  const readOnly = outcome.runtime === 'docker' && spec.mounts.readOnly
  const diagnosis = diagnoseShardLog(tail.text, {
    signal: outcome.signal,
    ...(readOnly && {
      readOnlyRepo: REPO_MOUNT,
      // As `writable:` takes it: relative to the config file's folder.
      writableOf: (shardPath) => path.relative(spec.root, path.join(spec.repoRoot, path.posix.relative(REPO_MOUNT, shardPath))) || '.',
    }),
  })
  if (!diagnosis) return
  outcome.diagnosis = diagnosis
  // A cause of the runtime's (a signal, the memory limit) stands; a class of its own adds Vitest's words to it.
  if (outcome.cause && (diagnosis.kind === 'error' || diagnosis.kind === 'killed')) return
  const said = describeDiagnosis(diagnosis)
  outcome.cause = outcome.cause ? `${outcome.cause}; ${said}` : said
}

const SHOWN_RUNNING = 3

// From progress.ndjson: tests with a `test-start` and no result when the shard was stopped, with how long each had run.
async function nameRunningTests(outcome: ShardOutcome, spec: ShardSpec): Promise<void> {
  if (!outcome.junitPath) return
  const progress = await readProgress(progressBeside(outcome.junitPath), outcome.files, spec.workdir)
  const ended = Date.parse(outcome.endedAt)
  const running: string[] = []
  let count = 0
  for (const [file, record] of progress.files)
    for (const [name, started] of record.running ?? []) {
      if (++count > SHOWN_RUNNING) continue
      const ms = ended - Date.parse(started)
      const since = Number.isFinite(ms) && ms >= 0 ? ` (running for ${formatDuration(ms)})` : ''
      running.push(`${file} > ${cleanLine(name.replace(/\s+/g, ' '), 200)}${since}`)
    }
  if (running.length === 0) return
  const more = count > SHOWN_RUNNING ? ` and ${count - SHOWN_RUNNING} more` : ''
  const said = `still running: ${running.join(', ')}${more}`
  outcome.cause = outcome.cause ? `${outcome.cause}; ${said}` : said
}
