// The planner's file-system side: discover and read the test files once, then hand plain facts to createPlan.
import fs from 'node:fs'
import path from 'node:path'
import type { ResolvedConfig } from '../../config/resolve.js'
import { createPlan } from '../plan.js'
import { type SourceFacts, scanSource } from '../scan-source.js'
import type { Plan, PlanIssue } from '../types.js'
import { discoverTestFiles } from './discover.js'

/** Discovers the config's test files, reads each once for tags and pins, and plans them. */
export async function planProject(config: ResolvedConfig): Promise<Plan> {
  const skipped: PlanIssue[] = []
  const files = await discoverTestFiles(config.root, config.include, config.exclude, (file, why) => {
    // A folder that matches a test glob is a folder, not a skipped test file.
    if (!why.includes('folder')) skipped.push({ code: 'XTEST_FILE_SKIPPED', message: `${file}: not planned: ${why}`, file })
  })
  const facts = new Map<string, SourceFacts>()
  for (const file of files) facts.set(file, scanSource(readTestSource(`${config.root}${path.sep}${file}`)))
  const plan = createPlan({ config, files, facts: (file) => facts.get(file)! })
  plan.warnings.push(...skipped)
  return plan
}

// Test files may have been replaced since they were listed (a shard can write into the repo): never block on a
// FIFO or read a device to its end; anything but a regular file reads as empty. Most test files fit one read, and
// a second read at the end proving there is no more costs less than a stat (a third of the planner's reading time).
const CHUNK = Buffer.allocUnsafe(64 * 1024)
export function readTestSource(file: string): string {
  let fd: number | undefined
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)
    // Positional reads: a FIFO refuses them (ESPIPE), and the file offset stays at 0 for the long path.
    const first = fs.readSync(fd, CHUNK, 0, CHUNK.length, 0)
    if (first < CHUNK.length && (first === 0 || fs.readSync(fd, CHUNK, first, 1, first) === 0)) return CHUNK.toString('utf8', 0, first)
    return fs.fstatSync(fd).isFile() ? fs.readFileSync(fd, 'utf8') : ''
  } catch {
    return ''
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}
