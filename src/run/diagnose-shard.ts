// A shard that ended without a report: the tail of its output.log is diagnosed (shared/shard-diagnosis.ts), and its
// outcome's cause says what Vitest said, for the terminal, the summaries, the HTML and the JUnit alike.
import fs from 'node:fs'
import path from 'node:path'
import type { ShardOutcome, ShardSpec } from '../core/shard.js'
import { readLogTail } from '../report/log-tail.js'
import { REPO_MOUNT } from '../runtimes/repo-mounts.js'
import { DIAGNOSIS_INPUT_CHARS, describeDiagnosis, diagnoseShardLog } from '../shared/shard-diagnosis.js'

const TAIL_LINES = 400

/** Sets `diagnosis` and the cause of a shard that ran, ended on its own (or out of memory) and wrote no JUnit. */
export async function diagnoseOutcome(outcome: ShardOutcome, spec: ShardSpec): Promise<void> {
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
  // A cause that names the signal already says "killed"; Vitest's words are added when there are any.
  if (outcome.cause && diagnosis.lines.length === 0) return
  const said = describeDiagnosis(diagnosis)
  outcome.cause = outcome.cause ? `${outcome.cause}; ${said}` : said
}
