import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { ExitCode } from '../../src/core/exit-codes.js'
import { checkReportPath } from '../../src/shared/report-paths.js'
import { describeFsError, formatWriteFaults } from '../../src/shared/write-faults.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-report-paths-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

test('a report path: absent, a regular file or a device passes; a folder, a socket or a link to a folder is exit 2', () => {
  expect(checkReportPath('--junit', path.join(dir, 'new/deeper/junit.xml'))).toBe(path.join(dir, 'new/deeper/junit.xml'))
  fs.writeFileSync(path.join(dir, 'old.xml'), '')
  expect(checkReportPath('--junit', path.join(dir, 'old.xml'))).toBe(path.join(dir, 'old.xml'))
  expect(() => checkReportPath('--junit', dir)).toThrow(
    expect.objectContaining({ exitCode: ExitCode.usage, message: `--junit ${dir}: a folder is not a file to write; give a file path` }),
  )
  expect(() => checkReportPath('--summary', dir)).toThrow(expect.objectContaining({ exitCode: ExitCode.usage }))
  fs.symlinkSync(dir, path.join(dir, 'to-folder'))
  expect(() => checkReportPath('-o', path.join(dir, 'to-folder'))).toThrow(
    expect.objectContaining({
      exitCode: ExitCode.usage,
      message: expect.stringContaining('a symbolic link to a folder is not a file to write'),
    }),
  )
  expect(checkReportPath('-o', '/dev/null')).toBe('/dev/null')
  expect(() => checkReportPath('--junit', path.join(dir, 'old.xml', 'junit.xml'))).toThrow(
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
