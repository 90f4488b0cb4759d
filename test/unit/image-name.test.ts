import { describe, expect, test } from 'vitest'
import { parseImageName } from '../../src/runtimes/image-name.js'

// The image a built container is tagged as was split on the first ':', so a registry port became the tag.
describe('parseImageName', () => {
  test.each([
    ['node', { repo: 'node', tag: 'latest', digest: null }],
    ['node:20', { repo: 'node', tag: '20', digest: null }],
    ['registry:5000/ns/img:tag', { repo: 'registry:5000/ns/img', tag: 'tag', digest: null }],
    ['registry:5000/ns/img', { repo: 'registry:5000/ns/img', tag: 'latest', digest: null }],
    [`img@sha256:${'a'.repeat(64)}`, { repo: 'img', tag: null, digest: `sha256:${'a'.repeat(64)}` }],
    [`registry:5000/img:1.2@sha256:${'b'.repeat(64)}`, { repo: 'registry:5000/img', tag: '1.2', digest: `sha256:${'b'.repeat(64)}` }],
  ])('%s', (reference, expected) => {
    expect(parseImageName(reference)).toEqual(expected)
  })
})
