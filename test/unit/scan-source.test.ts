import { describe, expect, test } from 'vitest'
import { scanSource } from '../../src/plan/scan-source.js'
import { detectTiers } from '../../src/plan/tier.js'

// Spelled in two parts: Vitest reads a module tag anywhere in this file's own text.
const MT = '@' + 'module-tag'
const tiersOf = (source: string) => [...detectTiers(scanSource(source)).keys()]

describe('tier detection', () => {
  test.each([
    ['untagged tests', `test('a', () => {})`, ['fast']],
    ['a tag on one test', `test('a', { tags: ['slow'] }, () => {})`, ['fast', 'slow']],
    ['a tag list over several lines', `test('a', {\n  tags: [\n    'db',\n    "superslow",\n  ],\n}, () => {})`, ['fast', 'superslow']],
    ['a tag on a describe', `describe('suite', { tags: ['slow'] }, () => { test('a', () => {}) })`, ['fast', 'slow']],
    ['a single string tag', `test('a', { tags: 'slow' }, () => {})`, ['fast', 'slow']],
    ['a quoted key', `test('a', { 'tags': ['slow'] }, () => {})`, ['fast', 'slow']],
    ['@module-tag in a JSDoc block', `/** ${MT} slow */\ntest('a', () => {})`, ['slow']],
    ['@module-tag in a line comment', `// ${MT} superslow\ntest('a', () => {})`, ['superslow']],
    [
      '@module-tag slow plus a superslow test',
      `/**\n * ${MT} slow\n */\ntest('a', { tags: ['superslow'] }, () => {})`,
      ['slow', 'superslow'],
    ],
    ['"slow" in a test name', `test('is slow', () => {})`, ['fast']],
    ['tags in a line comment', `// test('a', { tags: ['slow'] })\ntest('b', () => {})`, ['fast']],
    ['tags in a block comment', `/* tags: ['superslow'] */ test('b', () => {})`, ['fast']],
    ['tags inside a string', `const s = "tags: ['slow']"; test('b', () => {})`, ['fast']],
    ['tags inside a template literal', "const s = `tags: ['slow']`; test('b', () => {})", ['fast']],
    ['a regex holding a quote', `const re = /'/; test('a', { tags: ['slow'] }, () => {})`, ['fast', 'slow']],
    ['other tags only', `test('a', { tags: ['db', 'flaky'] }, () => {})`, ['fast']],
    ['a tag named like a tier prefix', `test('a', { tags: ['slowish'] }, () => {})`, ['fast']],
  ])('%s', (_, source, expected) => {
    expect(tiersOf(source)).toEqual(expected)
  })
})

describe('container pins', () => {
  test.each([
    ['a JSDoc pin', `/** @xtest-container opt */\ntest('a', () => {})`, ['opt']],
    ['a pin inside a longer docblock', `/**\n * Needs the solver.\n * @xtest-container opt\n */`, ['opt']],
    ['no pin', `test('@xtest-container is documented here', () => {})`, []],
  ])('%s', (_, source, expected) => {
    expect(scanSource(source).pins).toEqual(expected)
  })
})
