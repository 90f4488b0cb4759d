// One aligned-table printer for the plan tables (cli) and the run summary (report), so that the two look alike;
import { printable } from '../core/printable.js'
// it lives in shared/ because report/ may not import cli/.

/**
 * Pads cells into columns two spaces apart, the `numeric` ones right-aligned; no line ends in blanks. Cells hold test
 * data (file and test names): each is made printable.
 */
export function alignColumns(table: readonly (readonly string[])[], numeric: ReadonlySet<number> = new Set()): string[] {
  const rows = table.map((row) => row.map(printable))
  const widths: number[] = []
  for (const row of rows)
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length)
    })
  return rows.map((row) =>
    row
      .map((cell, index) => (numeric.has(index) ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd(),
  )
}

/** A plain text table under a header: the columns whose every cell is a number (`12`, `1.5s`) right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const full = rows.map((row) => header.map((_, index) => row[index] ?? ''))
  const numeric = new Set(
    header.flatMap((_, index) => (full.length > 0 && full.every((row) => /^[\d.]+[a-z]*$/.test(row[index]!)) ? [index] : [])),
  )
  return alignColumns([header, ...full], numeric).join('\n')
}
