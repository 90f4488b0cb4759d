// `xtest merge --timings [FILE]` takes a flag or a path; parsed here so the command only sees the meaning.
import { UsageError } from '../core/errors.js'

/** `--timings [FILE]` of `xtest merge`: true for the default file, else the file. */
export function parseTimingsOption(value: unknown): string | true | undefined {
  if (value === undefined || value === false) return undefined
  if (value === true || value === '') return true
  const file = String(value)
  // `xtest merge --timings a.xml b.xml` would take a.xml as the timings file and overwrite a report.
  if (file.endsWith('.xml')) {
    throw new UsageError(`--timings writes a JSON file, got '${file}' (write --timings after the input files, or --timings=FILE.json)`)
  }
  return file
}
