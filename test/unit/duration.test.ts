// One duration format for progress lines, errors and the summaries; rounding must carry into the next unit.
import { describe, expect, test } from 'vitest'
import { formatDuration } from '../../src/shared/duration.js'

describe('formatDuration', () => {
  test('picks the unit by size; the summaries put a space between units', () => {
    expect([850, 12_345, 245_000, 3_720_000].map((ms) => formatDuration(ms))).toEqual(['850ms', '12.3s', '4m05s', '1h02m'])
    expect(formatDuration(245_000, ' ')).toBe('4m 05s')
  })

  test('rounds before splitting, so 119.6 s is 2m00s, not 1m60s', () => {
    expect(formatDuration(119_600)).toBe('2m00s')
    expect(formatDuration(3_599_600)).toBe('1h00m')
  })
})
