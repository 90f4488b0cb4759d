// A shard's expected time is what it took last time, from the shard.json of the newest run folders that ran it: the
// sum of its tests' durations leaves out the container, Vitest's start and each file's import (399ms vs 8s).
import fs from 'node:fs'
import path from 'node:path'
import { readRegularFile } from '../core/safe-fs.js'
import type { Shard } from '../plan/types.js'
import { RUN_ID_PATTERN } from '../store/run-folder.js'
import { type Timings, timingOf } from '../store/timings.js'

/** Run folders looked into, newest first. */
const RUNS_LOOKED = 10

/**
 * Shard id → its last wall time in ms, for the shards that ran to their end before. A shard whose files changed since
 * (the result cache dropped some) gets the recorded times of the files it gained added, of those it lost taken off.
 */
export function lastShardWalls(
  outputDir: string,
  shards: readonly Pick<Shard, 'id' | 'container' | 'tier' | 'files'>[],
  timings?: Timings,
): Map<string, number> {
  const walls = new Map<string, number>()
  const runs = path.join(outputDir, 'runs')
  let names: string[]
  try {
    names = fs.readdirSync(runs).filter((name) => RUN_ID_PATTERN.test(name))
  } catch {
    return walls
  }
  const ms = (shard: (typeof shards)[number], files: readonly string[]) =>
    files.reduce((sum, file) => sum + (timings ? (timingOf(timings, shard.container, shard.tier, file) ?? 0) : 0), 0)
  for (const run of names.sort().reverse().slice(0, RUNS_LOOKED))
    for (const shard of shards) {
      if (walls.has(shard.id)) continue
      const read = readRegularFile(path.join(runs, run, shard.id, 'shard.json'), 1024 * 1024)
      if (!read.ok) continue
      let last: { durationMs?: unknown; exitCode?: unknown; ended?: unknown; files?: unknown }
      try {
        last = JSON.parse(read.value.toString('utf8'))
      } catch {
        continue
      }
      const { durationMs, files } = last
      // A shard stopped early (timeout, Ctrl-C, engine) or never started says nothing about its time.
      if (typeof durationMs !== 'number' || !(durationMs > 0) || last.ended !== undefined || typeof last.exitCode !== 'number') continue
      const before = new Set(Array.isArray(files) ? files.filter((file): file is string => typeof file === 'string') : [])
      const now = new Set(shard.files)
      const gained = ms(
        shard,
        [...now].filter((file) => !before.has(file)),
      )
      const adjusted =
        durationMs +
        gained -
        ms(
          shard,
          [...before].filter((file) => !now.has(file)),
        )
      if (adjusted > 0) walls.set(shard.id, adjusted)
    }
  return walls
}
