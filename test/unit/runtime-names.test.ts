// The runtime names are listed once (core/runtimes.ts); README's synopsis and the published schema must follow it.
import fs from 'node:fs'
import { describe, expect, test } from 'vitest'
import { RUNTIME_CHOICES, RUNTIMES } from '../../src/core/runtimes.js'

const read = (file: string) => fs.readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')

describe('runtime names', () => {
  test('README gives --runtime the listed choices', () => {
    expect(RUNTIME_CHOICES).toEqual(['auto', ...RUNTIMES])
    expect(read('README.md')).toContain(`--runtime ${RUNTIME_CHOICES.join('|')}`)
  })

  test("config/schema.json's containers.<name>.runtime enum is the list", () => {
    const enums: unknown[] = []
    JSON.stringify(JSON.parse(read('config/schema.json')), (key, value) => {
      if (key === 'runtime') enums.push(value.enum)
      return value
    })
    expect(enums).toEqual([[...RUNTIMES]])
  })
})
