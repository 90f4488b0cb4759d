// Writes the merged report to disk: the XML comes from the one writer (core/junit-write.ts, shared with the shard's
// reporter), streamed suite by suite into a temp file that then replaces the target.
import { randomUUID } from 'node:crypto'
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ConfigError } from '../core/errors.js'
import { describeFileKind } from '../shared/write-faults.js'
import { renderJUnitChunks } from '../core/junit-write.js'
import type { JUnitReport } from './types.js'

/**
 * A report replaces its target by renaming a temp file over it: only a regular file (or nothing) may be replaced.
 * Renaming over /dev/null as root would replace the device; over a folder it fails with a stack trace.
 */
export async function assertReplaceable(path: string): Promise<void> {
  const target = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (target && !target.isFile())
    throw new ConfigError(
      `${path} is ${describeFileKind(target)}, not a regular file: give a file path for the report`,
      'XTEST_REPORT_PATH',
    )
}

/** Writes the report to `path` atomically (temp file in the same folder, then rename). Creates the folder. */
export async function writeJUnit(report: JUnitReport, path: string): Promise<void> {
  await assertReplaceable(path)
  await mkdir(dirname(path), { recursive: true })
  const temp = `${path}.${randomUUID()}.tmp`
  try {
    const handle = await open(temp, 'wx')
    try {
      let pending = ''
      for (const chunk of renderJUnitChunks(report)) {
        pending += chunk
        if (pending.length >= 1 << 20) {
          await handle.write(pending)
          pending = ''
        }
      }
      await handle.write(pending)
    } finally {
      await handle.close()
    }
    await assertReplaceable(path)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
