import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { checkReportPath } from '../../src/shared/report-paths.js'
import { ExitCode } from '../../src/core/exit-codes.js'
import { describeFsError, formatWriteFaults } from '../../src/shared/write-faults.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-report-paths-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

test('a report path: absent or a regular file passes; a folder or a device is exit 2 (replace), a device is fine to write through', () => {
  expect(checkReportPath('--junit', path.join(dir, 'new/deeper/junit.xml'), 'replace')).toBe(path.join(dir, 'new/deeper/junit.xml'))
  fs.writeFileSync(path.join(dir, 'old.xml'), '')
  expect(checkReportPath('--junit', path.join(dir, 'old.xml'), 'replace')).toBe(path.join(dir, 'old.xml'))
  expect(() => checkReportPath('--junit', dir, 'replace')).toThrow(
    expect.objectContaining({ exitCode: ExitCode.usage, message: `--junit ${dir}: a folder, not a regular file; give a file path` }),
  )
  expect(() => checkReportPath('--summary', dir, 'write')).toThrow(expect.objectContaining({ exitCode: ExitCode.usage }))
  expect(() => checkReportPath('-o', '/dev/null', 'replace')).toThrow(
    expect.objectContaining({
      exitCode: ExitCode.usage,
      message: '-o /dev/null: a character device, not a regular file; give a file path',
    }),
  )
  expect(checkReportPath('--summary', '/dev/null', 'write')).toBe('/dev/null')
  expect(() => checkReportPath('--junit', path.join(dir, 'old.xml', 'junit.xml'), 'replace')).toThrow(
    expect.objectContaining({ exitCode: ExitCode.usage, message: expect.stringContaining('is a file, not a folder') }),
  )
})

test('write faults: one line per cause, with a count and the first three files', () => {
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' })
  expect(describeFsError(enospc)).toBe('no space left on device (ENOSPC)')
  const lines = formatWriteFaults(
    [
      ...['a', 'b', 'c', 'd', 'e'].map((n) => ({ file: `/repo/.xtest/runs/r/${n}/output.log`, cause: 'no space left on device (ENOSPC)' })),
      { file: '/dev/full', cause: 'no space left on device (ENOSPC)' },
      { file: '/repo/summary.md', cause: 'read-only file system (EROFS)' },
    ],
    '/repo',
  )
  expect(lines).toEqual([
    'cannot write 6 files: no space left on device (ENOSPC): .xtest/runs/r/a/output.log, .xtest/runs/r/b/output.log, .xtest/runs/r/c/output.log, and 3 more',
    'cannot write summary.md: read-only file system (EROFS)',
  ])
})
