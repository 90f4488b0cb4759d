// Text hygiene for the report's messages; the XML-level part is core/xml-text.ts.

/** The first `count` lines of `text`, each cut to `width` characters. */
export function firstLines(text: string, count: number, width = 200): string {
  const lines: string[] = []
  let start = 0
  while (lines.length < count && start <= text.length) {
    const end = text.indexOf('\n', start)
    const line = text.slice(start, end === -1 ? undefined : end).trimEnd()
    lines.push(line.length > width ? `${line.slice(0, width - 1)}…` : line)
    if (end === -1) break
    start = end + 1
  }
  return lines.join('\n')
}
