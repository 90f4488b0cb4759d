import { expect, test } from 'vitest'
import { cutLongRuns } from '../../src/report/cut-long-runs.js'
import { parseJUnit } from '../../src/report/read-junit.js'

test('leaves short documents alone', () => {
  const xml = '<a b="c">text</a>'
  expect(cutLongRuns(xml, 100)).toBe(xml)
})

test('cuts a long text node without splitting an entity, and the result still parses', () => {
  const body = '&amp;'.repeat(5000)
  const xml = `<testsuites><testsuite name="s"><testcase classname="c" name="n"><system-out>${body}</system-out></testcase></testsuite></testsuites>`
  const cut = cutLongRuns(xml, 1000)
  expect(cut.length).toBeLessThan(1200 + 200)
  expect(cut).toContain('characters cut here before parsing')
  expect(cut).not.toMatch(/&am(?!p;)|&a(?!mp;)|&(?!amp;)/)
  expect(parseJUnit(cut).ok).toBe(true)
})

test('inside a tag, cuts only where no quote would be lost', () => {
  const long = 'x'.repeat(3000)
  const oneAttribute = `<testsuites name="${long}"/>`
  expect(cutLongRuns(oneAttribute, 1000).length).toBeLessThan(1200)
  const manyAttributes = `<testsuites ${Array.from({ length: 300 }, (_, i) => `a${i}="v"`).join(' ')}/>`
  expect(cutLongRuns(manyAttributes, 1000)).toBe(manyAttributes)
})
