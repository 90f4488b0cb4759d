// Small file systems for the disk-fault tests: a tmpfs of a few KiB (full almost at once) or a read-only one.
// Mounting needs root, as CI runs (.ci/run); as anyone else these tests fail with the reason, never skip.

import fs from 'node:fs'
import { execaSync } from 'execa'

export function mountTmpfs(dir: string, options: { size: string; readOnly?: boolean }): () => void {
  if (process.getuid?.() !== 0) throw new Error(`mounting a tmpfs at ${dir} needs root (CI runs the suite as root)`)
  fs.mkdirSync(dir, { recursive: true })
  execaSync('mount', ['-t', 'tmpfs', '-o', `size=${options.size}${options.readOnly ? ',ro' : ''}`, 'tmpfs', dir])
  return () => {
    execaSync('umount', ['-l', dir], { reject: false })
  }
}

/** A character device of our own (the same as /dev/null), so that a test can never replace the host's /dev/null. */
export function makeNullDevice(file: string): string {
  if (process.getuid?.() !== 0) throw new Error(`mknod ${file} needs root (CI runs the suite as root)`)
  execaSync('mknod', ['-m', '666', file, 'c', '1', '3'])
  return file
}
