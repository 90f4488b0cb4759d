// Shortens huge text nodes and attribute values before parsing: the XML parser's time grows far faster than
// linearly with one long text node (50 MB took 16 s), while xtest keeps only 64 KiB of any text anyway.

/**
 * Cuts every run of characters without `<` or `>` longer than `maxChars` down to its head and tail around a
 * marker. Well-formedness is kept: cuts avoid splitting an entity, and inside a tag a run is cut only where
 * no quote would be lost. Text that needs no cut is returned as is.
 */
export function cutLongRuns(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  const keep = Math.floor(maxChars / 2)
  let out = ''
  let from = 0
  let start = 0
  while (start < text.length) {
    const end = nextMarkup(text, start)
    if (end - start > maxChars) {
      const inTag = start > 0 && text[start - 1] === '<'
      const headEnd = avoidEntity(text, start + keep, -1)
      const tailStart = avoidEntity(text, end - keep, 1)
      const cut = text.slice(headEnd, tailStart)
      if (!(inTag && /["']/.test(cut))) {
        out += `${text.slice(from, headEnd)} [xtest: ${tailStart - headEnd} characters cut here before parsing] `
        from = tailStart
      }
    }
    start = end + 1
  }
  return from === 0 ? text : out + text.slice(from)
}

function nextMarkup(text: string, from: number): number {
  const lt = text.indexOf('<', from)
  const gt = text.indexOf('>', from)
  if (lt === -1) return gt === -1 ? text.length : gt
  return gt === -1 ? lt : Math.min(lt, gt)
}

// Moves a cut point off an entity (`&amp;`, `&#65;`): entities are at most a few dozen characters long.
function avoidEntity(text: string, at: number, direction: -1 | 1): number {
  const amp = text.lastIndexOf('&', at)
  if (amp === -1 || at - amp > 32) return at
  const semi = text.indexOf(';', amp)
  if (semi === -1 || semi >= at) return direction === -1 ? amp : Math.min(semi + 1, text.length)
  return at
}
