import { describe, expect, it } from 'vitest'
import { alignColumns, formatTable } from '../../src/shared/table.js'

// The one table printer of the plan tables and the run summary.
describe('formatTable', () => {
  it('pads text columns left, right-aligns all-number columns, and leaves no trailing blanks', () => {
    expect(
      formatTable(
        ['container', 'tier', 'files'],
        [
          ['amd64', 'fast', '12'],
          ['a', 'superslow', '3'],
        ],
      ),
    ).toBe(['container  tier       files', 'amd64      fast          12', 'a          superslow      3'].join('\n'))
  })
  it('treats a column as a number only when every cell is one (1.5s counts)', () => {
    expect(
      formatTable(
        ['t', 'x'],
        [
          ['1.5s', 'a'],
          ['10s', 'bb'],
        ],
      ),
    ).toBe(['   t  x', '1.5s  a', ' 10s  bb'].join('\n'))
    expect(
      formatTable(
        ['t', 'x'],
        [
          ['1.5s', 'a'],
          ['-', 'bb'],
        ],
      ),
    ).toBe(['t     x', '1.5s  a', '-     bb'].join('\n'))
  })
  it('prints the header alone for no rows', () => {
    expect(formatTable(['a', 'b'], [])).toBe('a  b')
  })
})

describe('alignColumns', () => {
  it('right-aligns the columns it is told are numeric', () => {
    expect(
      alignColumns(
        [
          ['1', 'x'],
          ['100', 'yy'],
        ],
        new Set([0]),
      ),
    ).toEqual(['  1  x', '100  yy'])
  })
})
